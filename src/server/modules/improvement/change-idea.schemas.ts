import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf, Timestamps, visibilityOf } from '../../platform/schemas.ts';
import { title } from './charter.schemas.ts';

const uuid = Type.String({ format: 'uuid' });
const nullableUuid = Type.Union([uuid, Type.Null()]);

export const CHANGE_IDEA_VISIBILITIES = [
  'public',
  'coalition',
  'network',
  'team',
  'private',
] as const;
export const SOURCE_KINDS = ['none', 'research', 'cycle', 'document', 'other'] as const;
export const MAX_TAGS = 20;
const ChangeIdeaVisibility = visibilityOf(CHANGE_IDEA_VISIBILITIES, 'ChangeIdeaVisibility');
const SourceKind = Type.Enum([...SOURCE_KINDS], {
  title: 'ChangeIdeaSourceKind',
  description: 'Where the idea comes from: research, an earlier PDSA cycle, a document, other',
});

export const Source = Type.Object(
  {
    kind: SourceKind,
    citation: Type.String(),
    url: Type.Union([Type.String(), Type.Null()]),
    cycle_id: nullableUuid,
  },
  { title: 'ChangeIdeaSource' },
);

export const SourceInput = Type.Object(
  {
    kind: SourceKind,
    citation: Type.Optional(Type.String({ maxLength: 1000 })),
    url: Type.Optional(
      Type.Union(
        [Type.String({ maxLength: 2000, pattern: '^[Hh][Tt][Tt][Pp][Ss]?://' }), Type.Null()],
        {
          description: 'An http or https address',
        },
      ),
    ),
    cycle_id: Type.Optional(
      Type.Union([uuid, Type.Null()], {
        description: 'With kind "cycle": the PDSA cycle (one you can see) the idea comes from',
      }),
    ),
  },
  { additionalProperties: false, title: 'ChangeIdeaSourceInput' },
);

const Tags = Type.Array(Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' }), {
  maxItems: MAX_TAGS,
  description:
    'Free tags; the same tag in another case is the same tag (its first spelling is kept)',
});

export const ChangeIdea = Type.Object(
  {
    id: uuid,
    network_id: uuid,
    network_name: Type.String(),
    team_id: Type.Union([uuid, Type.Null()], { description: "Null: the network's idea" }),
    team_name: Type.Union([Type.String(), Type.Null()], {
      description: 'Null for a network idea, or when you cannot see the team',
    }),
    title: Type.String(),
    description: Type.String(),
    source: Source,
    tags: Type.Array(Type.String(), { description: 'By label (case-insensitive)' }),
    visibility: ChangeIdeaVisibility,
    created_by_id: Type.Union([uuid, Type.Null()]),
    drivers: Type.Array(
      Type.Object({
        owner_kind: Type.Enum(['charter', 'project']),
        owner_id: uuid,
        owner_title: Type.String(),
        node_id: Type.String(),
        label: Type.String(),
        kind: Type.Enum(['primary', 'secondary']),
      }),
      {
        description:
          'Driver nodes linked (by an edge) to a node of this idea, in the driver diagrams you can see',
      },
    ),
    teams_testing: Type.Array(
      Type.Object({ team_id: uuid, team_name: Type.String(), cycle_count: Type.Integer() }),
      { description: 'Teams with PDSA cycles of this idea that you can see, by team name' },
    ),
    ...Timestamps,
  },
  { title: 'ChangeIdea' },
);

export const CreateChangeIdeaBody = Type.Object(
  {
    network_id: uuid,
    team_id: Type.Optional(Type.Union([uuid, Type.Null()])),
    title,
    description: Type.Optional(Type.String({ maxLength: 10000 })),
    source: Type.Optional(SourceInput),
    tags: Type.Optional(Tags),
    visibility: Type.Optional(ChangeIdeaVisibility),
  },
  { additionalProperties: false, title: 'CreateChangeIdeaBody' },
);

export const UpdateChangeIdeaBody = Type.Object(
  {
    title: Type.Optional(title),
    description: Type.Optional(Type.String({ maxLength: 10000 })),
    source: Type.Optional(SourceInput),
    tags: Type.Optional(Tags),
    visibility: Type.Optional(ChangeIdeaVisibility),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    title: 'UpdateChangeIdeaBody',
    description: 'source and tags, when sent, replace the old ones',
  },
);

export const ListChangeIdeasQuery = Type.Object(
  {
    ...PaginationQuery,
    network_id: Type.Optional(uuid),
    team_id: Type.Optional(uuid),
    tag: Type.Optional(
      Type.String({ maxLength: 60, description: 'Ideas with this tag (any case)' }),
    ),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive title search' })),
  },
  { additionalProperties: false },
);

export const Tag = Type.Object(
  {
    id: uuid,
    label: Type.String(),
    usage_count: Type.Integer({ description: 'Change ideas you can see that carry it' }),
  },
  { title: 'Tag' },
);

export const ListTagsQuery = Type.Object(
  {
    ...PaginationQuery,
    q: Type.Optional(Type.String({ maxLength: 60, description: 'Case-insensitive label search' })),
  },
  { additionalProperties: false },
);

export const ChangeIdeaPage = pageOf(ChangeIdea, 'ChangeIdeaPage');
export const TagPage = pageOf(Tag, 'TagPage');

export type ChangeIdeaResponse = Static<typeof ChangeIdea>;
export type SourceInputBody = Static<typeof SourceInput>;
export type CreateChangeIdeaInput = Static<typeof CreateChangeIdeaBody>;
export type UpdateChangeIdeaInput = Static<typeof UpdateChangeIdeaBody>;
export type ListChangeIdeasInput = Static<typeof ListChangeIdeasQuery>;
export type TagResponse = Static<typeof Tag>;
export type ListTagsInput = Static<typeof ListTagsQuery>;
