import { type Expression, type SqlBool, sql } from 'kysely';
import type { VisibilityScope } from '../platform/access.ts';

/** The columns of a table that carry a record's visibility (qualified, e.g. `team.id`). */
export interface VisibilityColumns {
  visibility: string;
  networkId: string | null;
  teamId: string | null;
  authorId: string | null;
}

const NO_IDS: string[] = ['00000000-0000-0000-0000-000000000000'];
/** A uuid[] parameter for `= any(…)`; an empty list becomes one id no row has, so it matches nothing. */
export const uuidArray = (ids: readonly string[]) => sql`${ids.length ? [...ids] : NO_IDS}::uuid[]`;

/**
 * The SQL twin of `canSee()` in platform/access.ts: one boolean condition over the record's
 * columns, so that lists are filtered in the query. The two are kept equal by a property test.
 */
export function visibleTo(scope: VisibilityScope, cols: VisibilityColumns): Expression<SqlBool> {
  if (scope.everything) return sql<SqlBool>`true`;
  const visibility = sql.ref(cols.visibility);
  const own =
    cols.authorId && scope.userId
      ? sql`(${visibility} = 'private' and ${sql.ref(cols.authorId)} = ${scope.userId}::uuid)`
      : sql`false`;
  if (scope.allButPrivate) return sql<SqlBool>`(${visibility} <> 'private' or ${own})`;
  if (!scope.signedIn) return sql<SqlBool>`${visibility} = 'public'`;
  const parts = [sql`${visibility} in ('public', 'coalition')`, own];
  if (cols.networkId) {
    const network = sql.ref(cols.networkId);
    parts.push(
      sql`(${visibility} = 'network' and ${network} = any(${uuidArray(scope.networkIds)}))`,
    );
    parts.push(
      sql`(${visibility} = 'team' and ${network} = any(${uuidArray(scope.teamNetworkIds)}))`,
    );
  }
  if (cols.teamId) {
    parts.push(
      sql`(${visibility} = 'team' and ${sql.ref(cols.teamId)} = any(${uuidArray(scope.teamIds)}))`,
    );
  }
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}
