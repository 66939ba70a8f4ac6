import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf, Timestamps, visibilityOf } from '../../platform/schemas.ts';
import { Aim, AimInput, title } from './charter.schemas.ts';

const uuid = Type.String({ format: 'uuid' });

export const PROJECT_STATUSES = [
  'planning',
  'testing',
  'implementing',
  'spreading',
  'sustaining',
  'closed',
] as const;
export const PROJECT_VISIBILITIES = ['public', 'coalition', 'network', 'team', 'private'] as const;
const ProjectStatus = Type.Enum([...PROJECT_STATUSES], {
  title: 'ProjectStatus',
  description:
    'Where the project is: planning → testing → implementing → spreading → sustaining; closed',
});
const ProjectVisibility = visibilityOf(PROJECT_VISIBILITIES, 'ProjectVisibility');

export const Project = Type.Object(
  {
    id: uuid,
    team_id: uuid,
    team_name: Type.String(),
    network_id: uuid,
    network_name: Type.String(),
    charter_id: Type.Union([uuid, Type.Null()]),
    charter_title: Type.Union([Type.String(), Type.Null()], {
      description: 'Null when the project has no charter, or you cannot see it',
    }),
    title: Type.String(),
    problem_statement: Type.String(),
    aim: Aim,
    aim_statement: Type.String(),
    status: ProjectStatus,
    visibility: ProjectVisibility,
    members: Type.Array(Type.Object({ user_id: uuid, display_name: Type.String() }), {
      description: "The team's members (team_member role), by name",
    }),
    ...Timestamps,
  },
  { title: 'Project' },
);

export const CreateProjectBody = Type.Object(
  {
    team_id: uuid,
    charter_id: Type.Optional(Type.Union([uuid, Type.Null()])),
    title,
    problem_statement: Type.Optional(Type.String({ maxLength: 10000 })),
    aim: Type.Optional(AimInput),
    status: Type.Optional(ProjectStatus),
    visibility: Type.Optional(ProjectVisibility),
  },
  {
    additionalProperties: false,
    title: 'CreateProjectBody',
    description:
      "With a charter and no aim, the project takes the charter's aim; its driver diagram starts as a copy of the charter's.",
  },
);

export const UpdateProjectBody = Type.Object(
  {
    charter_id: Type.Optional(Type.Union([uuid, Type.Null()])),
    title: Type.Optional(title),
    problem_statement: Type.Optional(Type.String({ maxLength: 10000 })),
    aim: Type.Optional(AimInput),
    status: Type.Optional(ProjectStatus),
    visibility: Type.Optional(ProjectVisibility),
  },
  { additionalProperties: false, minProperties: 1, title: 'UpdateProjectBody' },
);

export const ListProjectsQuery = Type.Object(
  {
    ...PaginationQuery,
    team_id: Type.Optional(uuid),
    network_id: Type.Optional(uuid),
    charter_id: Type.Optional(uuid),
    status: Type.Optional(ProjectStatus),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'Case-insensitive title search' })),
  },
  { additionalProperties: false },
);

export const ProjectPage = pageOf(Project, 'ProjectPage');

export type ProjectResponse = Static<typeof Project>;
export type CreateProjectInput = Static<typeof CreateProjectBody>;
export type UpdateProjectInput = Static<typeof UpdateProjectBody>;
export type ListProjectsInput = Static<typeof ListProjectsQuery>;
