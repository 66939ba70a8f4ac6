import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf } from '../../platform/schemas.ts';

export const HISTORY_ENTITY_TYPES = [
  'coalition',
  'organisation',
  'network',
  'team',
  'user',
  'charter',
  'project',
  'driver_diagram',
  'change_idea',
  'pdsa_cycle',
  'measure',
  'annotation',
] as const;

export const AuditEvent = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    occurred_at: Type.String({ format: 'date-time' }),
    actor: Type.Object({
      id: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
      display_name: Type.String({ description: '"System" for the server itself (seed, CLI)' }),
      deleted: Type.Boolean(),
    }),
    action: Type.Enum(['create', 'update', 'delete']),
    entity_type: Type.String(),
    entity_id: Type.String({ format: 'uuid' }),
    summary: Type.String(),
    changes: Type.Array(
      Type.Object({ field: Type.String(), before: Type.Unknown(), after: Type.Unknown() }),
      { description: 'Fields that changed (all fields for a create or delete)' },
    ),
    request_id: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'AuditEvent' },
);

const filters = {
  actor_id: Type.Optional(Type.String({ format: 'uuid' })),
  entity_type: Type.Optional(Type.String({ maxLength: 50 })),
  entity_id: Type.Optional(Type.String({ format: 'uuid' })),
  action: Type.Optional(Type.Enum(['create', 'update', 'delete'])),
  from: Type.Optional(
    Type.String({ format: 'date-time', description: 'From this instant (inclusive)' }),
  ),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Before this instant' })),
};

export const ListAuditEventsQuery = Type.Object(
  { ...PaginationQuery, ...filters },
  { additionalProperties: false },
);
export const ExportAuditEventsQuery = Type.Object(filters, { additionalProperties: false });

export const HistoryParams = Type.Object({
  entity_type: Type.Enum([...HISTORY_ENTITY_TYPES]),
  id: Type.String({ format: 'uuid' }),
});
export const HistoryQuery = Type.Object({ ...PaginationQuery }, { additionalProperties: false });

export const AuditEventPage = pageOf(AuditEvent, 'AuditEventPage');

export type AuditEventResponse = Static<typeof AuditEvent>;
export type ListAuditEventsInput = Static<typeof ListAuditEventsQuery>;
export type ExportAuditEventsInput = Static<typeof ExportAuditEventsQuery>;
export type HistoryEntityType = (typeof HISTORY_ENTITY_TYPES)[number];
