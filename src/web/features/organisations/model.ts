import type { BodyOf, QueryOf, ResponseOf } from '../../api/client.ts';

export type Organisation = ResponseOf<'get', '/api/v1/organisations/{id}'>;
export type OrganisationType = Organisation['type'];
export type OrganisationVisibility = Organisation['visibility'];
export type OrganisationList = ResponseOf<'get', '/api/v1/organisations'>;
export type OrganisationListQuery = NonNullable<QueryOf<'get', '/api/v1/organisations'>>;
export type CreateOrganisationBody = BodyOf<'post', '/api/v1/organisations'>;
export type UpdateOrganisationBody = NonNullable<BodyOf<'patch', '/api/v1/organisations/{id}'>>;

/** Labels for every organisation type; a new type in the API fails the typecheck here. */
export const ORGANISATION_TYPE_LABELS: Record<OrganisationType, string> = {
  district: 'District',
  school: 'School',
  charter_network: 'Charter network',
  nonprofit: 'Nonprofit',
  intermediary: 'Intermediary',
  funder: 'Funder',
  university: 'University',
  agency: 'Agency',
  network: 'Network',
  community_organisation: 'Family or community organisation',
};

export const ORGANISATION_TYPE_OPTIONS = (
  Object.entries(ORGANISATION_TYPE_LABELS) as [OrganisationType, string][]
).map(([value, label]) => ({ value, label }));

export function isOrganisationType(value: string): value is OrganisationType {
  return Object.hasOwn(ORGANISATION_TYPE_LABELS, value);
}

export function organisationTypeLabel(type: string): string {
  return isOrganisationType(type) ? ORGANISATION_TYPE_LABELS[type] : type;
}

/** Who sees an organisation at each level, in plain words (shown next to each choice). */
export const ORGANISATION_VISIBILITY_OPTIONS: readonly {
  value: OrganisationVisibility;
  label: string;
  hint: string;
}[] = [
  {
    value: 'public',
    label: 'Public',
    hint: 'Anyone can see it on the map, including people who are not signed in.',
  },
  {
    value: 'coalition',
    label: 'Coalition',
    hint: 'Only people signed in to this coalition’s Tandem can see it.',
  },
  {
    value: 'private',
    label: 'Private draft',
    hint: 'Only its author and instance admins can see it, while it is being prepared.',
  },
];

/** Where a new organisation starts, as the API does when none is given. */
export const DEFAULT_ORGANISATION_VISIBILITY: OrganisationVisibility = 'coalition';

export function isOrganisationVisibility(value: string): value is OrganisationVisibility {
  return ORGANISATION_VISIBILITY_OPTIONS.some((o) => o.value === value);
}

/** The values of the organisation form, as typed (strings only). */
export interface OrganisationFormValues {
  name: string;
  type: OrganisationType | '';
  nces_id: string;
  visibility: OrganisationVisibility;
}

export function formValuesOf(org?: Organisation): OrganisationFormValues {
  return {
    name: org?.name ?? '',
    type: org?.type ?? '',
    nces_id: org?.nces_id ?? '',
    visibility: org?.visibility ?? DEFAULT_ORGANISATION_VISIBILITY,
  };
}

/** Words for the fields of an organisation, for its history. */
export const ORGANISATION_FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  type: 'Type',
  nces_id: 'NCES id',
  visibility: 'Visibility',
};

/** A field's value as it reads in the history: labels for types and visibilities. */
export function organisationFieldValue(field: string, value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (field === 'type') return organisationTypeLabel(value);
  if (field === 'visibility')
    return ORGANISATION_VISIBILITY_OPTIONS.find((o) => o.value === value)?.label ?? value;
  return undefined;
}

/** Checks the form before it is sent; the server checks again and has the last word. */
export function validateOrganisationForm(values: OrganisationFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Enter the organisation’s name.';
  if (!values.type) errors.type = 'Choose the type of organisation.';
  const nces = values.nces_id.trim();
  if (nces && !/^(\d{7}|\d{12})$/.test(nces)) {
    errors.nces_id = 'An NCES id is 7 digits (a district) or 12 digits (a school).';
  }
  return errors;
}
