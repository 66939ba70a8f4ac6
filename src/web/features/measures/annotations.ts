/**
 * Chart annotations: who may change one (as the API decides it), the fields an edit changed, and
 * a short form of a label for button names. Pure, so unit-tested on their own.
 */
import type { Annotation, AnnotationKind } from './model.ts';

/** The form's fields of an annotation. */
export interface AnnotationDraft {
  occurred_on: string;
  label: string;
  kind: AnnotationKind;
  phase_break: boolean;
}

export type AnnotationPatch = Partial<AnnotationDraft>;

export function annotationDraftOf(
  a: Pick<Annotation, 'occurred_on' | 'label' | 'kind' | 'phase_break'>,
): AnnotationDraft {
  return { occurred_on: a.occurred_on, label: a.label, kind: a.kind, phase_break: a.phase_break };
}

/**
 * The fields of `draft` that differ from `initial`, as a PATCH body (empty: nothing changed). The
 * label is trimmed; "start a new phase" only counts for a phase change (another kind sends false,
 * which the API requires).
 */
export function annotationPatch(initial: AnnotationDraft, draft: AnnotationDraft): AnnotationPatch {
  const patch: AnnotationPatch = {};
  const label = draft.label.trim();
  const phaseBreak = draft.kind === 'phase_change' && draft.phase_break;
  if (draft.occurred_on !== initial.occurred_on) patch.occurred_on = draft.occurred_on;
  if (label !== initial.label) patch.label = label;
  if (draft.kind !== initial.kind) patch.kind = draft.kind;
  if (phaseBreak !== initial.phase_break) patch.phase_break = phaseBreak;
  return patch;
}

/**
 * Whether the reader may change or delete an annotation, as the API rules it: a team's
 * annotation → whoever works in the team (its members, the network's facilitators, coalition-wide
 * facilitators, admins); a network-wide one (no team) → the network's facilitators. The API still
 * has the last word (403).
 */
export function canChangeAnnotation(
  a: Pick<Annotation, 'team_id' | 'network_id'>,
  managesNetwork: (networkId: string) => boolean,
  myTeamIds: ReadonlySet<string>,
): boolean {
  if (managesNetwork(a.network_id)) return true;
  return a.team_id !== null && myTeamIds.has(a.team_id);
}

/** A label cut to `max` characters with "…", for names like Edit annotation “Snow week…”. */
export function shortLabel(label: string, max = 40): string {
  const text = label.trim().replace(/\s+/g, ' ');
  if (text.length <= max) return text;
  return `${text.slice(0, max - 1).trimEnd()}…`;
}
