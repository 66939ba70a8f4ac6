import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf, Timestamps, visibilityOf } from '../../platform/schemas.ts';

export const ORGANISATION_TYPES = [
  'district',
  'school',
  'charter_network',
  'nonprofit',
  'intermediary',
  'funder',
  'university',
  'agency',
  'network',
  'community_organisation',
] as const;

export const OrganisationType = Type.Enum([...ORGANISATION_TYPES], { title: 'OrganisationType' });
/** Directory entries are not network or team records: those visibilities do not apply. */
export const ORGANISATION_VISIBILITIES = ['public', 'coalition', 'private'] as const;
const OrganisationVisibility = visibilityOf(ORGANISATION_VISIBILITIES, 'OrganisationVisibility');

const name = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
const ncesId = Type.Union([Type.String({ pattern: '^([0-9]{7}|[0-9]{12})$' }), Type.Null()], {
  description: 'NCES identifier: 7 digits for a district (LEA), 12 for a school; null if none',
});

export const Organisation = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    type: OrganisationType,
    nces_id: Type.Union([Type.String(), Type.Null()]),
    visibility: OrganisationVisibility,
    ...Timestamps,
  },
  { title: 'Organisation' },
);

export const CreateOrganisationBody = Type.Object(
  {
    name,
    type: OrganisationType,
    nces_id: Type.Optional(ncesId),
    visibility: Type.Optional(OrganisationVisibility),
  },
  { additionalProperties: false, title: 'CreateOrganisationBody' },
);

export const UpdateOrganisationBody = Type.Object(
  {
    name: Type.Optional(name),
    type: Type.Optional(OrganisationType),
    nces_id: Type.Optional(ncesId),
    visibility: Type.Optional(OrganisationVisibility),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateOrganisationBody' },
);

export const ListOrganisationsQuery = Type.Object(
  {
    ...PaginationQuery,
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive name search' })),
    type: Type.Optional(OrganisationType),
  },
  { additionalProperties: false },
);

export const OrganisationPage = pageOf(Organisation, 'OrganisationPage');

export type OrganisationTypeValue = (typeof ORGANISATION_TYPES)[number];
export type OrganisationResponse = Static<typeof Organisation>;
export type CreateOrganisationInput = Static<typeof CreateOrganisationBody>;
export type UpdateOrganisationInput = Static<typeof UpdateOrganisationBody>;
export type ListOrganisationsInput = Static<typeof ListOrganisationsQuery>;
