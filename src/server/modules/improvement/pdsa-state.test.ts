import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PdsaState } from '../../db/database.ts';
import {
  type CycleDocs,
  checkTransition,
  emptyAct,
  emptyExecution,
  emptyPlan,
  emptyStudy,
  LEGAL_MOVES,
  legalMovesFrom,
  PDSA_STATES,
  readinessProblems,
  sectionEditProblem,
} from './pdsa-state.ts';

const ORDER: PdsaState[] = ['plan', 'do', 'study', 'act', 'completed'];

/** A cycle with everything filled in: every forward move is ready. */
const ready = (): CycleDocs => ({
  plan: {
    ...emptyPlan(),
    questions: [{ id: 'q1', text: 'Will it work?', predictions: [{ id: 'p1', text: 'Yes' }] }],
  },
  execution: { ...emptyExecution(), what_happened: 'We tried it.' },
  study: {
    ...emptyStudy(),
    results: [{ prediction_id: 'p1', outcome: 'confirmed', note: '' }],
  },
  act: { decision: 'adopt', reason: 'It worked.' },
});

const empty = (): CycleDocs => ({
  plan: emptyPlan(),
  execution: emptyExecution(),
  study: emptyStudy(),
  act: emptyAct(),
});

const state = fc.constantFrom(...PDSA_STATES);
const reason = fc.option(fc.string({ maxLength: 5 }), { nil: undefined });

describe('the PDSA state machine', () => {
  it('allows exactly one step forward, one step back, and reopening', () => {
    fc.assert(
      fc.property(state, state, (from, to) => {
        const distance = ORDER.indexOf(to) - ORDER.indexOf(from);
        const legal = distance === 1 || distance === -1;
        expect(LEGAL_MOVES[from][to] !== undefined).toBe(legal);
        expect(legalMovesFrom(from).includes(to)).toBe(legal);
      }),
    );
  });

  it('refuses every illegal move whatever the content and reason, naming the legal ones', () => {
    fc.assert(
      fc.property(state, state, reason, fc.boolean(), (from, to, why, full) => {
        fc.pre(LEGAL_MOVES[from][to] === undefined);
        const check = checkTransition(from, to, full ? ready() : empty(), why);
        expect(check).toEqual({ ok: false, illegal: true, legal: legalMovesFrom(from) });
      }),
    );
  });

  it('allows a forward move on a ready cycle, without a reason', () => {
    fc.assert(
      fc.property(state, reason, (from, why) => {
        const to = ORDER[ORDER.indexOf(from) + 1];
        fc.pre(to !== undefined);
        expect(checkTransition(from, to as PdsaState, ready(), why)).toEqual({
          ok: true,
          kind: 'forward',
        });
      }),
    );
  });

  it('needs a non-blank reason to go back or reopen, whatever the content', () => {
    fc.assert(
      fc.property(state, fc.string({ maxLength: 10 }), fc.boolean(), (from, why, full) => {
        const to = ORDER[ORDER.indexOf(from) - 1];
        fc.pre(to !== undefined);
        const check = checkTransition(from, to as PdsaState, full ? ready() : empty(), why);
        if (why.trim() === '') {
          expect(check).toMatchObject({ ok: false, illegal: false });
          expect(check.ok ? [] : 'problems' in check ? check.problems : []).toEqual([
            expect.objectContaining({ path: '/body/reason' }),
          ]);
        } else {
          expect(check).toEqual({ ok: true, kind: from === 'completed' ? 'reopen' : 'back' });
        }
      }),
    );
  });

  it('says which field blocks each forward move', () => {
    const docs = empty();
    expect(readinessProblems('do', docs).map((p) => p.path)).toEqual(['/body/plan/questions']);
    docs.plan.questions = [
      { id: 'q1', text: 'a', predictions: [{ id: 'p1', text: 'x' }] },
      { id: 'q2', text: 'b', predictions: [] },
    ];
    expect(readinessProblems('do', docs).map((p) => p.path)).toEqual([
      '/body/plan/questions/1/predictions',
    ]);
    expect(readinessProblems('study', docs).map((p) => p.path)).toEqual([
      '/body/execution/what_happened',
    ]);
    docs.execution.what_happened = '   ';
    expect(readinessProblems('study', docs)).toHaveLength(1);
    expect(readinessProblems('act', docs)).toEqual([
      expect.objectContaining({
        path: '/body/study/results',
        message: expect.stringMatching(/p1/),
      }),
    ]);
    docs.study.results = [{ prediction_id: 'p1', outcome: 'partly', note: '' }];
    expect(readinessProblems('act', docs)).toEqual([]);
    expect(readinessProblems('completed', docs).map((p) => p.path)).toEqual([
      '/body/act/decision',
      '/body/act/reason',
    ]);
    docs.act = { decision: 'abandon', reason: 'did not help' };
    expect(readinessProblems('completed', docs)).toEqual([]);
  });

  it('lets each section be edited only in its own state, and nothing once completed', () => {
    const sections = ['plan', 'execution', 'study', 'act'] as const;
    const own = { plan: 'plan', execution: 'do', study: 'study', act: 'act' } as const;
    for (const s of PDSA_STATES) {
      for (const section of sections) {
        expect(sectionEditProblem(s, section) === undefined).toBe(own[section] === s);
      }
    }
  });
});
