import { type Insertable, type SqlBool, sql, type Updateable } from 'kysely';
import type { ChangeIdeaTable, Db } from '../../db/database.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';
import { CHARTER_COLUMNS, PROJECT_COLUMNS } from './charter.repository.ts';
import { CYCLE_COLUMNS } from './pdsa.repository.ts';

const CHANGE_IDEA_COLUMNS = {
  visibility: 'change_idea.visibility',
  networkId: 'change_idea.network_id',
  teamId: 'change_idea.team_id',
  authorId: 'change_idea.created_by',
};

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export const titleSortKey = (row: { title: string; id: string }): [string, string] => [
  row.title.toLowerCase(),
  row.id,
];

function ideasWithNames(db: Db) {
  return db
    .selectFrom('change_idea')
    .innerJoin('network', 'network.id', 'change_idea.network_id')
    .leftJoin('team', 'team.id', 'change_idea.team_id')
    .selectAll('change_idea')
    .select([
      'network.name as network_name',
      'team.name as team_name',
      'team.visibility as team_visibility',
      'team.created_by as team_created_by',
    ]);
}
export type ChangeIdeaWithNamesRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof ideasWithNames>['executeTakeFirst']>>
>;

export function findChangeIdea(db: Db, id: string) {
  return ideasWithNames(db).where('change_idea.id', '=', id).executeTakeFirst();
}

export function findChangeIdeaForUpdate(db: Db, id: string) {
  return db
    .selectFrom('change_idea')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function listChangeIdeas(
  db: Db,
  scope: VisibilityScope,
  filter: {
    limit: number;
    after?: [string, string] | undefined;
    networkId?: string | undefined;
    teamId?: string | undefined;
    tag?: string | undefined;
    q?: string | undefined;
  },
) {
  let query = ideasWithNames(db).where(visibleTo(scope, CHANGE_IDEA_COLUMNS));
  if (filter.networkId) query = query.where('change_idea.network_id', '=', filter.networkId);
  if (filter.teamId) query = query.where('change_idea.team_id', '=', filter.teamId);
  if (filter.q) query = query.where('change_idea.title', 'ilike', escapeLike(filter.q));
  if (filter.tag) {
    const tag = filter.tag;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('change_idea_tag')
          .innerJoin('tag', 'tag.id', 'change_idea_tag.tag_id')
          .select('tag.id')
          .whereRef('change_idea_tag.change_idea_id', '=', 'change_idea.id')
          .where(sql<SqlBool>`lower(tag.label) = lower(${tag})`),
      ),
    );
  }
  if (filter.after) {
    const [title, id] = filter.after;
    query = query.where(
      sql<boolean>`(lower(change_idea.title) collate "C", change_idea.id) > (${title} collate "C", ${id}::uuid)`,
    );
  }
  return query
    .orderBy(sql`lower(change_idea.title) collate "C"`)
    .orderBy('change_idea.id')
    .limit(filter.limit + 1)
    .execute();
}

export function insertChangeIdea(db: Db, row: Insertable<ChangeIdeaTable>) {
  return db.insertInto('change_idea').values(row).returning('id').executeTakeFirstOrThrow();
}

export async function updateChangeIdea(db: Db, id: string, changes: Updateable<ChangeIdeaTable>) {
  await db
    .updateTable('change_idea')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteChangeIdea(db: Db, id: string): Promise<void> {
  await db.deleteFrom('change_idea').where('id', '=', id).execute();
}

/** Every PDSA cycle testing the idea, visible or not: they block its deletion. */
export async function countCycles(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('pdsa_cycle')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('change_idea_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

// ---- tags

export function tagsOf(db: Db, ideaIds: string[]) {
  if (ideaIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('change_idea_tag')
    .innerJoin('tag', 'tag.id', 'change_idea_tag.tag_id')
    .select(['change_idea_tag.change_idea_id', 'tag.label'])
    .where('change_idea_tag.change_idea_id', 'in', ideaIds)
    .orderBy(sql`lower(tag.label) collate "C"`)
    .execute();
}

/**
 * The tag rows for these labels (deduplicated by the caller, case-insensitively): existing rows
 * are reused whatever their case, missing ones created with the spelling given.
 */
export async function ensureTags(
  db: Db,
  labels: string[],
  newId: () => string,
  now: Date,
): Promise<string[]> {
  if (labels.length === 0) return [];
  await db
    .insertInto('tag')
    .values(labels.map((label) => ({ id: newId(), label, created_at: now })))
    .onConflict((oc) => oc.expression(sql`lower(label)`).doNothing())
    .execute();
  const rows = await db
    .selectFrom('tag')
    .select('id')
    .where(sql<SqlBool>`lower(label) = any(${labels.map((label) => label.toLowerCase())}::text[])`)
    .execute();
  return rows.map((row) => row.id);
}

export async function replaceTags(db: Db, ideaId: string, tagIds: string[]): Promise<void> {
  await db.deleteFrom('change_idea_tag').where('change_idea_id', '=', ideaId).execute();
  if (tagIds.length === 0) return;
  await db
    .insertInto('change_idea_tag')
    .values(tagIds.map((tag_id) => ({ change_idea_id: ideaId, tag_id })))
    .execute();
}

/** Tags carried by change ideas the viewer can see, with how many; by label. */
export function listTags(
  db: Db,
  scope: VisibilityScope,
  filter: { limit: number; after?: [string, string] | undefined; q?: string | undefined },
) {
  let query = db
    .selectFrom('tag')
    .innerJoin('change_idea_tag', 'change_idea_tag.tag_id', 'tag.id')
    .innerJoin('change_idea', 'change_idea.id', 'change_idea_tag.change_idea_id')
    .where(visibleTo(scope, CHANGE_IDEA_COLUMNS))
    .select(['tag.id', 'tag.label'])
    .select((eb) => eb.fn.count<number>('change_idea.id').distinct().as('usage_count'))
    .groupBy(['tag.id', 'tag.label']);
  if (filter.q) query = query.where('tag.label', 'ilike', escapeLike(filter.q));
  if (filter.after) {
    const [label, id] = filter.after;
    query = query.where(
      sql<boolean>`(lower(tag.label) collate "C", tag.id) > (${label} collate "C", ${id}::uuid)`,
    );
  }
  return query
    .orderBy(sql`lower(tag.label) collate "C"`)
    .orderBy('tag.id')
    .limit(filter.limit + 1)
    .execute();
}

// ---- where the ideas are used

/** The driver diagrams the viewer can see that have a node linked to one of these ideas. */
export function diagramsLinking(db: Db, scope: VisibilityScope, ideaIds: string[]) {
  if (ideaIds.length === 0) return Promise.resolve([]);
  const linksAny = sql.join(
    ideaIds.map(
      (id) =>
        sql`driver_diagram.content -> 'nodes' @> ${JSON.stringify([{ change_idea_id: id }])}::jsonb`,
    ),
    sql` or `,
  );
  return db
    .selectFrom('driver_diagram')
    .leftJoin('charter', 'charter.id', 'driver_diagram.charter_id')
    .leftJoin('project', 'project.id', 'driver_diagram.project_id')
    .select([
      'driver_diagram.charter_id',
      'driver_diagram.project_id',
      'driver_diagram.content',
      'charter.title as charter_title',
      'project.title as project_title',
    ])
    .where(sql<SqlBool>`(${linksAny})`)
    .where((eb) =>
      eb.or([
        eb.and([eb('charter.id', 'is not', null), visibleTo(scope, CHARTER_COLUMNS)]),
        eb.and([eb('project.id', 'is not', null), visibleTo(scope, PROJECT_COLUMNS)]),
      ]),
    )
    .orderBy(sql`coalesce(charter.title, project.title)`)
    .orderBy('driver_diagram.id')
    .execute();
}

/** Per idea and team: the PDSA cycles the viewer can see. */
export function cyclesByTeam(db: Db, scope: VisibilityScope, ideaIds: string[]) {
  if (ideaIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('pdsa_cycle')
    .innerJoin('team', 'team.id', 'pdsa_cycle.team_id')
    .select(['pdsa_cycle.change_idea_id', 'team.id as team_id', 'team.name as team_name'])
    .select((eb) => eb.fn.countAll<number>().as('cycle_count'))
    .where('pdsa_cycle.change_idea_id', 'in', ideaIds)
    .where(visibleTo(scope, CYCLE_COLUMNS))
    .groupBy(['pdsa_cycle.change_idea_id', 'team.id', 'team.name'])
    .orderBy(sql`lower(team.name) collate "C"`)
    .orderBy('team.id')
    .execute();
}
