import { describe, expect, it } from 'vitest';
import {
  changedCharterFields,
  changedProjectFields,
  charterFormValuesOf,
  projectFormValuesOf,
  TEXT_MAX,
  validateCharterForm,
  validateProjectForm,
} from './model.ts';

describe('charter and project forms', () => {
  it('names the record in the missing-title error and checks the problem text length', () => {
    const charter = { ...charterFormValuesOf(), problem_of_practice: 'x'.repeat(TEXT_MAX + 1) };
    expect(validateCharterForm(charter)).toEqual({
      title: 'Enter the charter’s title.',
      problem_of_practice: `Use at most ${TEXT_MAX} characters.`,
    });
    const project = { ...projectFormValuesOf(), title: '  ', problem_statement: 'ok' };
    expect(validateProjectForm(project)).toEqual({ title: 'Enter the project’s title.' });
  });

  it('sends only what changed, the aim whole when any part of it changed', () => {
    const before = { ...projectFormValuesOf(), title: 'Phonics', problem_statement: 'Old' };
    expect(changedProjectFields(before, { ...before, title: ' Phonics ' })).toEqual({});
    const after = {
      ...before,
      problem_statement: 'New',
      aim: { ...before.aim, what: 'reading' },
      visibility: 'network' as const,
    };
    const body = changedProjectFields(before, after);
    expect(Object.keys(body).sort()).toEqual(['aim', 'problem_statement', 'visibility']);
    expect(body.problem_statement).toBe('New');
    const charter = charterFormValuesOf();
    expect(changedCharterFields(charter, { ...charter, problem_of_practice: 'P' })).toEqual({
      problem_of_practice: 'P',
    });
  });
});
