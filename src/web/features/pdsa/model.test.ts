import { describe, expect, it } from 'vitest';
import {
  describeErrorMessage,
  describeErrorPath,
  EMPTY_LOG_FILTERS,
  formatBytes,
  logFiltersOf,
  logQueryOf,
  logSearchParamsOf,
  type PdsaCycle,
  type PdsaPlan,
  planBodyOf,
  type RampItem,
  rampSize,
  rampsOfCycles,
  rampTreeOf,
  studyBodyOf,
  validateLogFilters,
} from './model.ts';

const IDEA = '11111111-1111-4111-8111-111111111111';

describe('the PDSA log filters', () => {
  it('round-trip through the URL and leave out what the API would refuse', () => {
    const filters = {
      ...EMPTY_LOG_FILTERS,
      change_idea_id: IDEA,
      decision: 'adapt',
      from: '2026-09-01',
    };
    const params = logSearchParamsOf(filters);
    expect(params.toString()).toBe(`change_idea_id=${IDEA}&decision=adapt&from=2026-09-01`);
    expect(logFiltersOf(params)).toEqual(filters);
    const odd = logFiltersOf(new URLSearchParams('state=flying&team_id=nope&q=%20warm%20'));
    expect(odd.state).toBe('');
    expect(logQueryOf(odd)).toMatchObject({ team_id: undefined, state: undefined, q: 'warm' });
  });

  it('refuse a last day before the first', () => {
    expect(
      validateLogFilters({ ...EMPTY_LOG_FILTERS, from: '2026-09-10', to: '2026-09-01' }),
    ).toEqual({ to: 'The last day cannot come before the first.' });
  });
});

describe('the section bodies', () => {
  it('drop blank predictions and empty questions from the plan', () => {
    const body = planBodyOf({
      questions: [
        {
          id: 'q1',
          text: ' Does it help? ',
          predictions: [
            { id: 'p1', text: ' Yes ' },
            { id: 'p2', text: ' ' },
          ],
        },
        { id: 'q2', text: '', predictions: [{ id: 'p3', text: '' }] },
        { id: 'q3', text: 'Can we fit it in?', predictions: [{ id: 'p4', text: '' }] },
      ],
      who: '',
      what: '',
      when: '',
      where: '',
      data_to_collect: '',
    });
    expect(body.questions).toEqual([
      { id: 'q1', text: 'Does it help?', predictions: [{ id: 'p1', text: 'Yes' }] },
      { id: 'q3', text: 'Can we fit it in?', predictions: [] },
    ]);
  });

  it('send only the studied predictions of the plan', () => {
    const plan: PdsaPlan = {
      questions: [
        {
          id: 'q1',
          text: 'Q',
          predictions: [
            { id: 'p1', text: 'a' },
            { id: 'p2', text: 'b' },
          ],
        },
      ],
      who: '',
      what: '',
      when: '',
      where: '',
      data_to_collect: '',
    };
    const body = studyBodyOf(
      {
        results: {
          p1: { outcome: 'confirmed', note: 'yes' },
          p2: { outcome: '', note: '' },
          gone: { outcome: 'refuted', note: '' },
        },
        summary: 's',
        measure_links: [],
      },
      plan,
    );
    expect(body.results).toEqual([{ prediction_id: 'p1', outcome: 'confirmed', note: 'yes' }]);
  });
});

describe('ramps', () => {
  const cycle = (id: string, previous: string | null, created: string) =>
    ({
      id,
      previous_cycle_id: previous,
      created_at: created,
      title: id,
      scale: '',
      state: 'plan',
      decision: null,
      planned_start: null,
    }) as unknown as PdsaCycle;

  it('group a project’s cycles by the cycle each follows', () => {
    const ramps = rampsOfCycles([
      cycle('c3', 'c2', '2026-03-01'),
      cycle('c1', null, '2026-01-01'),
      cycle('c2', 'c1', '2026-02-01'),
      cycle('x', 'elsewhere', '2026-02-15'),
    ]);
    expect(ramps.map((r) => [r.key, rampSize(r)])).toEqual([
      ['c1', 3],
      ['x', 1],
    ]);
  });

  it('build the server’s depth-first items into a tree, hidden cycles kept as gaps', () => {
    const items = [
      { index: 0, parent_index: null, depth: 0, hidden: false, cycle: { id: 'a' } },
      { index: 1, parent_index: 0, depth: 1, hidden: true, cycle: null },
      { index: 2, parent_index: 1, depth: 2, hidden: false, cycle: { id: 'c' } },
      { index: 3, parent_index: 0, depth: 1, hidden: false, cycle: { id: 'd' } },
    ] as unknown as RampItem[];
    const [root] = rampTreeOf(items);
    expect(root?.children.map((c) => c.key)).toEqual(['hidden-1', 'd']);
    expect(root?.children[0]?.children[0]?.key).toBe('c');
  });
});

describe('server errors in the page’s words', () => {
  it('name the question and point at its field', () => {
    expect(describeErrorPath('/body/plan/questions/1/predictions')).toEqual({
      label: 'Plan, question 2, predictions',
      anchor: 'pdsa-q-1-predictions',
    });
    expect(describeErrorPath('/body/act/reason').anchor).toBe('pdsa-act-reason');
    expect(
      describeErrorMessage('no outcome for prediction p0a1b2c3d (plan/questions/0/predictions/1)'),
    ).toBe('prediction 1.2 has no result yet');
  });

  it('show sizes for people', () => {
    expect(formatBytes(33)).toBe('33 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(10 * 1024 * 1024)).toBe('10 MB');
  });
});
