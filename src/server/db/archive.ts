import fs from 'node:fs';
import readline from 'node:readline';
import { sql } from 'kysely';
import { StartupError } from '../platform/startup-error.ts';
import type { Db } from './database.ts';
import {
  assertNotNewer,
  knownMigrations,
  migrateTo,
  migrateToLatest,
  migrationLevel,
} from './migrate.ts';

/**
 * Full backup and restore as a versioned JSON-lines archive:
 *
 *   line 1   {"format":"tandem-archive","version":1,"app_version":…,"migration":…,"tables":[…]}
 *   then     {"table":"organisation","row":{…}}   one line per row, tables in foreign-key order
 *   last     {"end":true,"counts":{"organisation":30,…}}   (a missing trailer = truncated file)
 *
 * Generic over the schema: tables come from the catalogue, rows are serialised by PostgreSQL's
 * to_jsonb and restored by json_populate_recordset, so a new table needs no code here.
 */
export const ARCHIVE_FORMAT = 'tandem-archive';
export const ARCHIVE_VERSION = 1;
const CHUNK = 5000;

export type ArchiveProgress = (done: number, total: number) => void;

interface ArchiveHeader {
  format: string;
  version: number;
  app_version: string;
  migration: string | null;
  created_at: string;
  tables: string[];
  /** Rows per table, so a reader can show progress; the end line repeats them. */
  counts: Record<string, number>;
}

/**
 * Application tables in an order where every table comes after the tables it references.
 * Deferrable keys are left out: they are checked at commit, which breaks reference loops.
 */
export async function tablesInDependencyOrder(db: Db): Promise<string[]> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
      and table_name not like 'kysely\\_%'
    order by table_name`.execute(db);
  const edges = await sql<{ child: string; parent: string }>`
    select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent
    from pg_constraint c
    where c.contype = 'f' and not c.condeferrable
      and c.connamespace = current_schema()::regnamespace`.execute(db);
  const names = tables.rows.map((t) => t.name);
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const e of edges.rows) if (e.child !== e.parent) parents.get(e.child)?.add(e.parent);
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string) => {
    if (ordered.includes(name) || visiting.has(name)) return;
    visiting.add(name);
    for (const parent of parents.get(name) ?? []) visit(parent);
    visiting.delete(name);
    ordered.push(name);
  };
  for (const name of names) visit(name);
  return ordered;
}

async function primaryKeyColumns(db: Db, table: string): Promise<string[]> {
  const result = await sql<{ column: string }>`
    select a.attname as column
    from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
    where i.indrelid = ${table}::regclass and i.indisprimary
    order by array_position(i.indkey, a.attnum)`.execute(db);
  return result.rows.map((r) => r.column);
}

const ident = (name: string) => sql.id(name);

export async function exportArchive(
  db: Db,
  outPath: string,
  appVersion: string,
  onProgress?: ArchiveProgress,
): Promise<Record<string, number>> {
  const tmpPath = `${outPath}.partial-${process.pid}`;
  const out = fs.createWriteStream(tmpPath, { encoding: 'utf8' });
  const write = (line: unknown) =>
    new Promise<void>((resolve, reject) => {
      out.write(`${JSON.stringify(line)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  try {
    const counts: Record<string, number> = {};
    // One repeatable-read snapshot: the archive is consistent even while others write.
    await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        await sql`set local timezone = 'UTC'`.execute(trx);
        const tables = await tablesInDependencyOrder(trx);
        for (const table of tables) {
          const n = await sql<{
            n: number;
          }>`select count(*)::int as n from ${ident(table)}`.execute(trx);
          counts[table] = n.rows[0]?.n ?? 0;
        }
        const total = Object.values(counts).reduce((a, b) => a + b, 0);
        const header: ArchiveHeader = {
          format: ARCHIVE_FORMAT,
          version: ARCHIVE_VERSION,
          app_version: appVersion,
          migration: (await migrationLevel(trx)).current,
          created_at: new Date().toISOString(),
          tables,
          counts,
        };
        await write(header);
        let done = 0;
        for (const table of tables) {
          const pk = await primaryKeyColumns(trx, table);
          const orderBy = pk.length > 0 ? sql.join(pk.map(ident)) : sql`t::text`;
          for (let offset = 0; offset < (counts[table] ?? 0); offset += CHUNK) {
            const rows = await sql<{ r: Record<string, unknown> }>`
              select to_jsonb(t) as r from ${ident(table)} t
              order by ${orderBy} limit ${CHUNK} offset ${offset}`.execute(trx);
            for (const { r } of rows.rows) await write({ table, row: r });
            done += rows.rows.length;
            onProgress?.(done, total);
          }
        }
        await write({ end: true, counts });
      });
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    fs.renameSync(tmpPath, outPath); // never leave a half-written archive under the real name
    return counts;
  } catch (error) {
    out.destroy();
    fs.rmSync(tmpPath, { force: true });
    throw error;
  }
}

export class ArchiveError extends StartupError {}

/**
 * Restores an archive into an empty database, all or nothing. The database is first migrated to
 * the archive's migration level, the rows are loaded, then the remaining migrations run, so an
 * archive from an older Tandem restores into a newer one.
 */
export async function importArchive(
  db: Db,
  inPath: string,
  onProgress?: ArchiveProgress,
): Promise<Record<string, number>> {
  if (!fs.existsSync(inPath)) throw new ArchiveError(`${inPath}: no such file`);
  const lines = readline.createInterface({
    input: fs.createReadStream(inPath, { encoding: 'utf8' }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  const iterator = lines[Symbol.asyncIterator]();
  let lineNo = 0;
  const nextRecord = async (): Promise<Record<string, unknown> | undefined> => {
    const { value, done } = await iterator.next();
    if (done) return undefined;
    lineNo++;
    if (value.trim() === '') return nextRecord();
    try {
      const parsed: unknown = JSON.parse(value);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
        return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new ArchiveError(`${inPath}:${lineNo}: not a JSON object`);
  };

  try {
    const header = (await nextRecord()) as Partial<ArchiveHeader> | undefined;
    if (header?.format !== ARCHIVE_FORMAT) {
      throw new ArchiveError(
        `${inPath}:1: not a Tandem archive (the first line has no "format":"${ARCHIVE_FORMAT}")`,
      );
    }
    if (typeof header.version !== 'number' || header.version > ARCHIVE_VERSION) {
      throw new ArchiveError(
        `${inPath}:1: archive version ${String(header.version)} is newer than this Tandem reads (${ARCHIVE_VERSION}); upgrade Tandem`,
      );
    }
    const migration = header.migration ?? null;
    if (migration !== null && !knownMigrations().includes(migration)) {
      throw new ArchiveError(
        `${inPath}:1: the archive was made by a newer Tandem (migration ${migration} is unknown here); upgrade Tandem`,
      );
    }
    await assertNotNewer(db);
    await prepareSchema(db, migration);

    const counts: Record<string, number> = {};
    await db.transaction().execute(async (trx) => {
      const tables = await tablesInDependencyOrder(trx);
      for (const table of tables) {
        const n = await sql<{
          any: boolean;
        }>`select exists (select 1 from ${ident(table)}) as any`.execute(trx);
        if (n.rows[0]?.any) {
          throw new ArchiveError(
            `The database is not empty (table ${table} has rows). Restore into a new data directory or database.`,
          );
        }
      }
      const known = new Set(tables);
      // Every table the archive lists is reported, empty ones as 0, like the export does.
      for (const table of header.tables ?? []) if (known.has(table)) counts[table] = 0;
      const total = Object.values(header.counts ?? {}).reduce((a, b) => a + b, 0);
      let batchTable: string | undefined;
      let batch: unknown[] = [];
      let done = 0;
      let ended: Record<string, unknown> | undefined;
      const flush = async () => {
        if (!batchTable || batch.length === 0) return;
        await sql`insert into ${ident(batchTable)}
          select * from json_populate_recordset(null::${ident(batchTable)}, ${JSON.stringify(batch)}::json)`.execute(
          trx,
        );
        counts[batchTable] = (counts[batchTable] ?? 0) + batch.length;
        done += batch.length;
        onProgress?.(done, Math.max(total, done));
        batch = [];
      };
      for (let record = await nextRecord(); record; record = await nextRecord()) {
        if (record.end === true) {
          ended = record;
          break;
        }
        const table = record.table;
        if (typeof table !== 'string' || !known.has(table) || typeof record.row !== 'object') {
          throw new ArchiveError(
            `${inPath}:${lineNo}: expected {"table": <a known table>, "row": {…}}`,
          );
        }
        if (table !== batchTable || batch.length >= 1000) {
          await flush();
          batchTable = table;
        }
        batch.push(record.row);
      }
      await flush();
      if (!ended)
        throw new ArchiveError(
          `${inPath}: the archive is truncated (no end line); nothing was restored`,
        );
      const expected = (ended.counts ?? {}) as Record<string, number>;
      for (const [table, n] of Object.entries(expected)) {
        if ((counts[table] ?? 0) !== n) {
          throw new ArchiveError(
            `${inPath}: table ${table} should have ${n} rows but the archive holds ${counts[table] ?? 0}; nothing was restored`,
          );
        }
      }
      await resetSequences(trx);
    });
    await migrateToLatest(db);
    return counts;
  } finally {
    lines.close();
  }
}

/** Brings an empty database to exactly the archive's migration level. */
async function prepareSchema(db: Db, migration: string | null) {
  const level = await migrationLevel(db);
  const target = migration ?? undefined;
  if (level.current === (target ?? null)) return;
  const applied = level.current ? knownMigrations().indexOf(level.current) : -1;
  const wanted = target ? knownMigrations().indexOf(target) : -1;
  if (applied > wanted) {
    throw new ArchiveError(
      `The database is already at migration ${level.current}, newer than the archive's (${migration ?? 'none'}). ` +
        'Restore into a new data directory (tandem import --data-dir <new dir>) or a new, empty database.',
    );
  }
  if (!target) return;
  await migrateTo(db, target);
}

/** Serial columns must continue after the restored ids. */
async function resetSequences(db: Db) {
  const serials = await sql<{ table: string; column: string }>`
    select table_name as table, column_name as column from information_schema.columns
    where table_schema = current_schema() and column_default like 'nextval(%'`.execute(db);
  for (const { table, column } of serials.rows) {
    await sql`select setval(pg_get_serial_sequence(${table}, ${column}),
      coalesce((select max(${ident(column)}) from ${ident(table)}), 0) + 1, false)`.execute(db);
  }
}
