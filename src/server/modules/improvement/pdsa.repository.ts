import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type {
  AttachmentTable,
  Db,
  PdsaCycleTable,
  PdsaDecision,
  PdsaState,
  PdsaTransitionTable,
} from '../../db/database.ts';
import { visibleTo } from '../../db/visibility.ts';
import type { VisibilityScope } from '../../platform/access.ts';

export type PdsaCycleRow = Selectable<PdsaCycleTable>;
export type PdsaTransitionRow = Selectable<PdsaTransitionTable>;
export type AttachmentRow = Selectable<AttachmentTable>;

export const CYCLE_COLUMNS = {
  visibility: 'pdsa_cycle.visibility',
  networkId: 'pdsa_cycle.network_id',
  teamId: 'pdsa_cycle.team_id',
  authorId: 'pdsa_cycle.created_by',
};
const NEXT_COLUMNS = {
  visibility: 'next.visibility',
  networkId: 'next.network_id',
  teamId: 'next.team_id',
  authorId: 'next.created_by',
};

const escapeLike = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * A cycle with what its response shows of its neighbours: names of its team, project and change
 * idea and the visibility columns of each (the service hides what the viewer may not see), the
 * visibility columns of the previous cycle, and the number of transitions.
 */
function cyclesWithNames(db: Db) {
  return db
    .selectFrom('pdsa_cycle')
    .innerJoin('team', 'team.id', 'pdsa_cycle.team_id')
    .innerJoin('project', 'project.id', 'pdsa_cycle.project_id')
    .innerJoin('change_idea', 'change_idea.id', 'pdsa_cycle.change_idea_id')
    .leftJoin('pdsa_cycle as prev', 'prev.id', 'pdsa_cycle.previous_cycle_id')
    .selectAll('pdsa_cycle')
    .select((eb) => [
      'team.name as team_name',
      'team.visibility as team_visibility',
      'team.created_by as team_created_by',
      'project.title as project_title',
      'project.visibility as project_visibility',
      'project.created_by as project_created_by',
      'change_idea.title as change_idea_title',
      'change_idea.visibility as change_idea_visibility',
      'change_idea.team_id as change_idea_team_id',
      'change_idea.created_by as change_idea_created_by',
      'prev.visibility as prev_visibility',
      'prev.team_id as prev_team_id',
      'prev.network_id as prev_network_id',
      'prev.created_by as prev_created_by',
      eb
        .selectFrom('pdsa_transition')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('pdsa_transition.cycle_id', '=', 'pdsa_cycle.id')
        .as('transition_count'),
    ]);
}
export type PdsaCycleWithNamesRow = NonNullable<
  Awaited<ReturnType<ReturnType<typeof cyclesWithNames>['executeTakeFirst']>>
>;

export function findCycleWithNames(db: Db, id: string) {
  return cyclesWithNames(db).where('pdsa_cycle.id', '=', id).executeTakeFirst();
}

export function findCycleForUpdate(db: Db, id: string) {
  return db
    .selectFrom('pdsa_cycle')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export interface CycleListFilter {
  limit: number;
  /** [created_at ISO, id] of the last row of the previous page. */
  after?: [string, string] | undefined;
  networkId?: string | undefined;
  teamId?: string | undefined;
  projectId?: string | undefined;
  changeIdeaId?: string | undefined;
  state?: PdsaState | undefined;
  decision?: PdsaDecision | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
}

/** The cycle's day for from/to: its planned start, else the (UTC) day it was created. */
const cycleDay = sql`coalesce(pdsa_cycle.planned_start, (pdsa_cycle.created_at at time zone 'UTC')::date)`;

/** Newest first (created_at desc, id desc), only what the scope sees. */
export function listCycles(db: Db, scope: VisibilityScope, filter: CycleListFilter) {
  let query = cyclesWithNames(db).where(visibleTo(scope, CYCLE_COLUMNS));
  if (filter.networkId) query = query.where('pdsa_cycle.network_id', '=', filter.networkId);
  if (filter.teamId) query = query.where('pdsa_cycle.team_id', '=', filter.teamId);
  if (filter.projectId) query = query.where('pdsa_cycle.project_id', '=', filter.projectId);
  if (filter.changeIdeaId)
    query = query.where('pdsa_cycle.change_idea_id', '=', filter.changeIdeaId);
  if (filter.state) query = query.where('pdsa_cycle.state', '=', filter.state);
  if (filter.decision) query = query.where('pdsa_cycle.decision', '=', filter.decision);
  if (filter.from) query = query.where(sql<boolean>`${cycleDay} >= ${filter.from}::date`);
  if (filter.to) query = query.where(sql<boolean>`${cycleDay} <= ${filter.to}::date`);
  if (filter.q) query = query.where('pdsa_cycle.title', 'ilike', escapeLike(filter.q));
  if (filter.after) {
    const [at, id] = filter.after;
    query = query.where(
      sql<boolean>`(pdsa_cycle.created_at, pdsa_cycle.id) < (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  return query
    .orderBy('pdsa_cycle.created_at', 'desc')
    .orderBy('pdsa_cycle.id', 'desc')
    .limit(filter.limit + 1)
    .execute();
}

export const newestFirstKey = (row: { created_at: Date; id: string }): [string, string] => [
  row.created_at.toISOString(),
  row.id,
];

/** The visible cycles that follow each of `ids`, oldest first. */
export function listNextCycleIds(db: Db, scope: VisibilityScope, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('pdsa_cycle as next')
    .select(['next.id', 'next.previous_cycle_id'])
    .where('next.previous_cycle_id', 'in', ids)
    .where(visibleTo(scope, NEXT_COLUMNS))
    .orderBy('next.created_at')
    .orderBy('next.id')
    .execute();
}

export async function insertCycle(db: Db, row: Insertable<PdsaCycleTable>): Promise<void> {
  await db.insertInto('pdsa_cycle').values(row).execute();
}

export async function updateCycle(
  db: Db,
  id: string,
  changes: Updateable<PdsaCycleTable>,
): Promise<void> {
  await db
    .updateTable('pdsa_cycle')
    .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .execute();
}

export async function deleteCycle(db: Db, id: string): Promise<void> {
  await db.deleteFrom('pdsa_cycle').where('id', '=', id).execute();
}

// ---- ramps

export interface RampNode {
  id: string;
  previous_cycle_id: string | null;
  depth: number;
}

const RAMP_LIMIT = 1000;

/** The first cycle of the ramp `id` belongs to (following previous_cycle_id up). */
export async function findRampRoot(db: Db, id: string): Promise<string> {
  const result = await sql<{ id: string }>`
    with recursive up (id, previous_cycle_id, n) as (
      select id, previous_cycle_id, 0 from pdsa_cycle where id = ${id}::uuid
      union all
      select c.id, c.previous_cycle_id, up.n + 1
      from pdsa_cycle c join up on c.id = up.previous_cycle_id
      where up.n < ${RAMP_LIMIT}
    )
    select id from up order by n desc limit 1`.execute(db);
  return result.rows[0]?.id ?? id;
}

/** Every cycle built on `rootId` (itself included), with its depth, oldest first per level. */
export async function listRamp(db: Db, rootId: string) {
  const result = await sql<RampNode & { created_at: Date }>`
    with recursive down (id, previous_cycle_id, depth) as (
      select id, previous_cycle_id, 0 from pdsa_cycle where id = ${rootId}::uuid
      union all
      select c.id, c.previous_cycle_id, down.depth + 1
      from pdsa_cycle c join down on c.previous_cycle_id = down.id
      where down.depth < ${RAMP_LIMIT}
    )
    select down.id, down.previous_cycle_id, down.depth, pdsa_cycle.created_at
    from down join pdsa_cycle on pdsa_cycle.id = down.id
    order by down.depth, pdsa_cycle.created_at, down.id
    limit ${RAMP_LIMIT}`.execute(db);
  return result.rows.map((row) => ({ ...row, depth: Number(row.depth) }));
}

export function findCyclesByIds(db: Db, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('pdsa_cycle').selectAll().where('id', 'in', ids).execute();
}

// ---- transitions

export async function insertTransition(db: Db, row: Insertable<PdsaTransitionTable>) {
  await db.insertInto('pdsa_transition').values(row).execute();
}

/** Oldest first (occurred_at, id), with the actor's name. */
export function listTransitions(
  db: Db,
  cycleId: string,
  filter: { limit: number; after?: [string, string] | undefined },
) {
  let query = db
    .selectFrom('pdsa_transition')
    .leftJoin('app_user', 'app_user.id', 'pdsa_transition.actor_id')
    .selectAll('pdsa_transition')
    .select('app_user.display_name as actor_name')
    .where('pdsa_transition.cycle_id', '=', cycleId);
  if (filter.after) {
    const [at, id] = filter.after;
    query = query.where(
      sql<boolean>`(pdsa_transition.occurred_at, pdsa_transition.id) > (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  return query
    .orderBy('pdsa_transition.occurred_at')
    .orderBy('pdsa_transition.id')
    .limit(filter.limit + 1)
    .execute();
}
export type PdsaTransitionWithActorRow = Awaited<ReturnType<typeof listTransitions>>[number];

export function findTransition(db: Db, id: string) {
  return db
    .selectFrom('pdsa_transition')
    .leftJoin('app_user', 'app_user.id', 'pdsa_transition.actor_id')
    .selectAll('pdsa_transition')
    .select('app_user.display_name as actor_name')
    .where('pdsa_transition.id', '=', id)
    .executeTakeFirst();
}

// ---- attachments

export async function insertAttachment(db: Db, row: Insertable<AttachmentTable>): Promise<void> {
  await db.insertInto('attachment').values(row).execute();
}

export function findAttachment(db: Db, id: string) {
  return db.selectFrom('attachment').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Oldest first (created_at, id). */
export function listAttachments(
  db: Db,
  cycleId: string,
  filter: { limit: number; after?: [string, string] | undefined },
) {
  let query = db.selectFrom('attachment').selectAll().where('pdsa_cycle_id', '=', cycleId);
  if (filter.after) {
    const [at, id] = filter.after;
    query = query.where(
      sql<boolean>`(attachment.created_at, attachment.id) > (${at}::timestamptz, ${id}::uuid)`,
    );
  }
  return query
    .orderBy('created_at')
    .orderBy('id')
    .limit(filter.limit + 1)
    .execute();
}

export async function listAttachmentKeys(db: Db, cycleId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('attachment')
    .select('storage_key')
    .where('pdsa_cycle_id', '=', cycleId)
    .execute();
  return rows.map((row) => row.storage_key);
}

export async function deleteAttachment(db: Db, id: string): Promise<void> {
  await db.deleteFrom('attachment').where('id', '=', id).execute();
}
