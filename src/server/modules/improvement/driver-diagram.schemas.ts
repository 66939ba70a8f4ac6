import { type Static, Type } from 'typebox';
import { PaginationQuery, pageOf } from '../../platform/schemas.ts';

const uuid = Type.String({ format: 'uuid' });
const nodeId = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9_-]+$',
  description: 'Chosen by the client; unique within the diagram',
});

export const MAX_NODES = 500;
export const MAX_EDGES = 2000;
export const NODE_KINDS = ['primary', 'secondary', 'change_idea'] as const;

export const DiagramNode = Type.Object(
  {
    id: nodeId,
    kind: Type.Enum([...NODE_KINDS], {
      description: 'primary driver, secondary driver or change idea',
    }),
    label: Type.String({ minLength: 1, maxLength: 300, pattern: '\\S' }),
    change_idea_id: Type.Optional(
      Type.Union([uuid, Type.Null()], {
        description:
          'On change_idea nodes: the change idea record this node stands for (visible to you, same network)',
      }),
    ),
  },
  { additionalProperties: false, title: 'DriverDiagramNode' },
);

export const DiagramEdge = Type.Object(
  { from: nodeId, to: nodeId },
  {
    additionalProperties: false,
    title: 'DriverDiagramEdge',
    description:
      'primary → secondary, secondary → change_idea or primary → change_idea (so the diagram is acyclic)',
  },
);

export const DiagramContent = Type.Object(
  {
    aim: Type.String({ maxLength: 500 }),
    nodes: Type.Array(DiagramNode, {
      maxItems: MAX_NODES,
      description: 'In display order',
    }),
    edges: Type.Array(DiagramEdge, { maxItems: MAX_EDGES, description: 'In display order' }),
  },
  { additionalProperties: false, title: 'DriverDiagramContent' },
);

const SavedBy = {
  saved_by_id: Type.Union([uuid, Type.Null()]),
  saved_by_name: Type.Union([Type.String(), Type.Null()]),
};

export const DriverDiagram = Type.Object(
  {
    id: Type.Union([uuid, Type.Null()], {
      description:
        'The diagram record (for GET /api/v1/history/driver_diagram/{id}); null until first saved',
    }),
    owner_kind: Type.Enum(['charter', 'project']),
    owner_id: uuid,
    network_id: uuid,
    content: DiagramContent,
    updated_by_id: Type.Union([uuid, Type.Null()]),
    updated_by_name: Type.Union([Type.String(), Type.Null()]),
    created_at: Type.String({ format: 'date-time' }),
    updated_at: Type.String({ format: 'date-time' }),
    version: Type.Integer({
      minimum: 0,
      description:
        'Bumped on every save; the ETag carries it. 0: never saved (an empty diagram; save with If-Match "0")',
    }),
  },
  { title: 'DriverDiagram' },
);

export const SaveDriverDiagramBody = Type.Object(
  { content: DiagramContent },
  { additionalProperties: false, title: 'SaveDriverDiagramBody' },
);

const NodeCounts = Type.Object({
  primary: Type.Integer(),
  secondary: Type.Integer(),
  change_idea: Type.Integer(),
});

export const DriverDiagramRevisionSummary = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    ...SavedBy,
    saved_at: Type.String({ format: 'date-time' }),
    node_counts: NodeCounts,
    edge_count: Type.Integer(),
  },
  { title: 'DriverDiagramRevisionSummary' },
);

export const DriverDiagramRevision = Type.Object(
  {
    version: Type.Integer({ minimum: 1 }),
    ...SavedBy,
    saved_at: Type.String({ format: 'date-time' }),
    content: DiagramContent,
  },
  { title: 'DriverDiagramRevision' },
);

export const RevisionPage = pageOf(DriverDiagramRevisionSummary, 'DriverDiagramRevisionPage');

export const ListRevisionsQuery = Type.Object(
  { ...PaginationQuery },
  { additionalProperties: false },
);

export const RevisionParams = Type.Object({
  id: uuid,
  version: Type.Integer({ minimum: 1 }),
});

const ComparedNode = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  label: Type.String(),
  change_idea_id: Type.Union([uuid, Type.Null()]),
});
const EdgeEnd = Type.Object({ kind: Type.String(), label: Type.String() });
const ComparedEdge = Type.Object({
  from: EdgeEnd,
  to: EdgeEnd,
  project_edge: Type.Union([DiagramEdge, Type.Null()]),
  charter_edge: Type.Union([DiagramEdge, Type.Null()]),
});

export const DriverDiagramComparison = Type.Object(
  {
    project_id: uuid,
    charter_id: uuid,
    project_version: Type.Integer(),
    charter_version: Type.Integer(),
    nodes: Type.Object({
      both: Type.Array(
        Type.Object({ kind: Type.String(), project: ComparedNode, charter: ComparedNode }),
      ),
      only_project: Type.Array(ComparedNode),
      only_network: Type.Array(ComparedNode),
    }),
    edges: Type.Object({
      both: Type.Array(ComparedEdge),
      only_project: Type.Array(ComparedEdge),
      only_network: Type.Array(ComparedEdge),
    }),
  },
  {
    title: 'DriverDiagramComparison',
    description:
      'Nodes match by kind and label (trimmed, case-folded, spaces collapsed); change idea nodes linked to a change idea record match by that record. Edges match when both ends match.',
  },
);

export type DiagramContentBody = Static<typeof DiagramContent>;
export type DiagramNodeBody = Static<typeof DiagramNode>;
export type DriverDiagramResponse = Static<typeof DriverDiagram>;
export type DriverDiagramRevisionSummaryResponse = Static<typeof DriverDiagramRevisionSummary>;
export type DriverDiagramRevisionResponse = Static<typeof DriverDiagramRevision>;
export type DriverDiagramComparisonResponse = Static<typeof DriverDiagramComparison>;
export type ComparedEdgeResponse = Static<typeof ComparedEdge>;
export type ListRevisionsInput = Static<typeof ListRevisionsQuery>;
