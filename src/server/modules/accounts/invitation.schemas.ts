import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf } from '../../platform/schemas.ts';
import { Me } from './auth.schemas.ts';
import { Role } from '../structure/structure.schemas.ts';

const uuid = Type.String({ format: 'uuid' });
const token = Type.String({
  minLength: 10,
  maxLength: 200,
  description: 'The secret from the emailed link',
});

export const Invitation = Type.Object(
  {
    id: uuid,
    email: Type.String(),
    role: Role,
    network_id: Type.Union([uuid, Type.Null()]),
    team_id: Type.Union([uuid, Type.Null()]),
    scope_name: Type.String(),
    invited_by_name: Type.Union([Type.String(), Type.Null()]),
    status: Type.Enum(['pending', 'accepted', 'revoked', 'expired']),
    created_at: Type.String({ format: 'date-time' }),
    expires_at: Type.String({ format: 'date-time' }),
  },
  { title: 'Invitation' },
);

export const CreateInvitationBody = Type.Object(
  {
    email: Type.String({ minLength: 3, maxLength: 320 }),
    role: Role,
    network_id: Type.Optional(uuid),
    team_id: Type.Optional(uuid),
  },
  { additionalProperties: false, title: 'CreateInvitationBody' },
);

export const InvitationPreviewBody = Type.Object(
  { token },
  { additionalProperties: false, title: 'InvitationPreviewBody' },
);

export const InvitationPreview = Type.Object(
  {
    email: Type.String(),
    role: Role,
    scope_name: Type.String(),
    invited_by_name: Type.Union([Type.String(), Type.Null()]),
    expires_at: Type.String({ format: 'date-time' }),
    account_exists: Type.Boolean({
      description: 'true: sign in as this email to accept; false: accepting creates the account',
    }),
  },
  { title: 'InvitationPreview' },
);

export const AcceptInvitationBody = Type.Object(
  {
    token,
    display_name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false, title: 'AcceptInvitationBody' },
);

export const ListInvitationsQuery = Type.Object(
  {
    ...PaginationQuery,
    network_id: Type.Optional(
      Type.String({ format: 'uuid', description: 'Invitations into this network or its teams' }),
    ),
    team_id: Type.Optional(Type.String({ format: 'uuid', description: 'Into this team' })),
  },
  { additionalProperties: false },
);
export const InvitationPage = pageOf(Invitation, 'InvitationPage');
export const AcceptedInvitation = Me;

export const PasswordResetRequestBody = Type.Object(
  { email: Type.String({ minLength: 3, maxLength: 320 }) },
  { additionalProperties: false, title: 'PasswordResetRequestBody' },
);

export const PasswordResetConfirmBody = Type.Object(
  { token, password: Type.String({ minLength: 1, maxLength: 256 }) },
  { additionalProperties: false, title: 'PasswordResetConfirmBody' },
);

export type InvitationResponse = Static<typeof Invitation>;
export type CreateInvitationInput = Static<typeof CreateInvitationBody>;
export type InvitationPreviewResponse = Static<typeof InvitationPreview>;
export type AcceptInvitationInput = Static<typeof AcceptInvitationBody>;
export type ListInvitationsInput = Static<typeof ListInvitationsQuery>;
