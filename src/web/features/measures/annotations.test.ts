import { describe, expect, it } from 'vitest';
import {
  type AnnotationDraft,
  annotationDraftOf,
  annotationPatch,
  canChangeAnnotation,
  shortLabel,
} from './annotations.ts';

const snow: AnnotationDraft = {
  occurred_on: '2026-02-02',
  label: 'Snow week',
  kind: 'external',
  phase_break: false,
};

describe('annotationPatch', () => {
  it('sends only the changed fields, the label trimmed', () => {
    expect(annotationPatch(snow, { ...snow })).toEqual({});
    expect(annotationPatch(snow, { ...snow, label: '  Snow week  ' })).toEqual({});
    expect(annotationPatch(snow, { ...snow, label: ' Snow days ' })).toEqual({
      label: 'Snow days',
    });
    expect(annotationPatch(snow, { ...snow, occurred_on: '2026-02-09', kind: 'note' })).toEqual({
      occurred_on: '2026-02-09',
      kind: 'note',
    });
  });

  it('counts "start a new phase" only on a phase change, and clears it with another kind', () => {
    const phase: AnnotationDraft = { ...snow, kind: 'phase_change', phase_break: true };
    expect(annotationPatch(snow, { ...snow, phase_break: true })).toEqual({});
    expect(annotationPatch(snow, phase)).toEqual({ kind: 'phase_change', phase_break: true });
    expect(annotationPatch(phase, { ...phase, kind: 'note' })).toEqual({
      kind: 'note',
      phase_break: false,
    });
  });

  it('starts from the stored annotation', () => {
    expect(annotationDraftOf({ ...snow, phase_break: false, kind: 'external' })).toEqual(snow);
  });
});

describe('canChangeAnnotation', () => {
  const facilitates = (id: string) => id === 'n1';
  const nobody = () => false;
  it('lets the team and the network’s facilitators change a team’s annotation', () => {
    const team = { team_id: 't1', network_id: 'n1' };
    expect(canChangeAnnotation(team, nobody, new Set(['t1']))).toBe(true);
    expect(canChangeAnnotation(team, nobody, new Set(['t2']))).toBe(false);
    expect(canChangeAnnotation(team, facilitates, new Set())).toBe(true);
  });

  it('keeps a network-wide annotation to the network’s facilitators', () => {
    const wide = { team_id: null, network_id: 'n1' };
    expect(canChangeAnnotation(wide, nobody, new Set(['t1']))).toBe(false);
    expect(canChangeAnnotation(wide, facilitates, new Set())).toBe(true);
    expect(canChangeAnnotation({ team_id: null, network_id: 'n2' }, facilitates, new Set())).toBe(
      false,
    );
  });
});

describe('shortLabel', () => {
  it('cuts long labels with an ellipsis and folds spaces', () => {
    expect(shortLabel('Snow week')).toBe('Snow week');
    expect(shortLabel('  Snow \n week ')).toBe('Snow week');
    expect(shortLabel('Snow week closed every school in the district', 12)).toBe('Snow week c…');
    expect(shortLabel('x'.repeat(40))).toBe('x'.repeat(40));
    expect(shortLabel('x'.repeat(41))).toHaveLength(40);
  });
});
