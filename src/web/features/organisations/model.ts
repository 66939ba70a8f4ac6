import type { BodyOf, QueryOf, ResponseOf } from '../../api/client.ts';

export type Organisation = ResponseOf<'get', '/api/v1/organisations/{id}'>;
export type OrganisationType = Organisation['type'];
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

/** The values of the organisation form, as typed (strings only). */
export interface OrganisationFormValues {
  name: string;
  type: OrganisationType | '';
  nces_id: string;
}

export function formValuesOf(org?: Organisation): OrganisationFormValues {
  return { name: org?.name ?? '', type: org?.type ?? '', nces_id: org?.nces_id ?? '' };
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
