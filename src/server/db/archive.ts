import { createHash } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { sql } from 'kysely';
import { checkKey, type FileStore } from '../platform/file-store.ts';
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
 *   line 1   {"format":"tandem-archive","version":2,"app_version":…,"migration":…,"tables":[…],
 *            "counts":{…},"files":3}
 *   then     {"table":"organisation","row":{…}}   one line per row, tables in foreign-key order
 *   then     {"file":"<storage_key>","size":N,"sha256":"…","data":"<base64>"}   one line per
 *            attachment file (version 2), read from the file store
 *   last     {"end":true,"counts":{"organisation":30,…},"files":3,"missing_files":[]}
 *            (a missing trailer = truncated file)
 *
 * Generic over the schema: tables come from the catalogue, rows are serialised by PostgreSQL's
 * to_jsonb and restored by json_populate_recordset, so a new table needs no code here. Only the
 * file lines know a table: `attachment` (its storage_key, sha256 and size_bytes columns).
 *
 * Files: `"files"` in the header is the number of attachments (null when the archive was made
 * without a file store: rows only). A file missing from the store at export, or not matching its
 * recorded SHA-256, does not stop the backup (a backup that fails until someone repairs one
 * attachment is worse than none): it is reported as a warning and listed in the trailer's
 * `missing_files`, and its row restores without a file, as it was. Version 1 archives (rows
 * only) still import.
 */
export const ARCHIVE_FORMAT = 'tandem-archive';
export const ARCHIVE_VERSION = 2;
const CHUNK = 5000;
/** Attachment rows read per query when exporting files (one file is in memory at a time). */
const FILE_CHUNK = 200;

export type ArchiveProgress = (done: number, total: number) => void;

export interface ArchiveOptions {
  /**
   * Where attachment files are read from (export) or written to (import). Without one, an
   * export carries rows only ("files": null), and an archive with file lines cannot be imported.
   */
  files?: FileStore | undefined;
  onProgress?: ArchiveProgress | undefined;
  /** One line per problem that did not stop the work (a file missing from the store). */
  onWarning?: ((line: string) => void) | undefined;
}

export interface ArchiveSummary {
  /** Rows per table. */
  counts: Record<string, number>;
  /** Attachment files carried in the archive (written by export, restored by import). */
  files: number;
  /** Storage keys of attachments whose file was missing or damaged when the archive was made. */
  missingFiles: string[];
}

interface FileLine {
  file: string;
  size: number;
  sha256: string;
  data: string;
}

interface AttachmentFileRow {
  id: string;
  filename: string;
  storage_key: string;
  sha256: string;
  size_bytes: number;
}

interface ArchiveHeader {
  format: string;
  version: number;
  app_version: string;
  migration: string | null;
  created_at: string;
  tables: string[];
  /** Rows per table, so a reader can show progress; the end line repeats them. */
  counts: Record<string, number>;
  /** Version 2: attachments whose files follow the rows; null if the archive has no files. */
  files?: number | null;
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

/** A stored file, whole, if it is there (one file in memory at a time). */
async function readStoredFile(store: FileStore, key: string): Promise<Buffer | undefined> {
  const stored = await store.get(key);
  if (!stored) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of stored.stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

const sha256Hex = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export async function exportArchive(
  db: Db,
  outPath: string,
  appVersion: string,
  options: ArchiveOptions = {},
): Promise<ArchiveSummary> {
  const { files: store, onProgress } = options;
  const warn = options.onWarning ?? (() => {});
  const tmpPath = `${outPath}.partial-${process.pid}`;
  const out = fs.createWriteStream(tmpPath, { encoding: 'utf8' });
  const write = (line: unknown) =>
    new Promise<void>((resolve, reject) => {
      out.write(`${JSON.stringify(line)}\n`, (error) => (error ? reject(error) : resolve()));
    });
  try {
    const counts: Record<string, number> = {};
    let fileCount = 0;
    const missingFiles: string[] = [];
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
        const withFiles = store !== undefined && tables.includes('attachment');
        const attachments = withFiles ? (counts.attachment ?? 0) : 0;
        const total = Object.values(counts).reduce((a, b) => a + b, 0) + attachments;
        const header: ArchiveHeader = {
          format: ARCHIVE_FORMAT,
          version: ARCHIVE_VERSION,
          app_version: appVersion,
          migration: (await migrationLevel(trx)).current,
          created_at: new Date().toISOString(),
          tables,
          counts,
          files: store ? attachments : null,
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
        if (withFiles) {
          // Keyset over storage_key (unique), a chunk of rows at a time, one file at a time.
          let after = '';
          for (;;) {
            const batch = await sql<AttachmentFileRow>`
              select id, filename, storage_key, sha256, size_bytes from attachment
              where storage_key > ${after} order by storage_key limit ${FILE_CHUNK}`.execute(trx);
            for (const row of batch.rows) {
              const data = await readStoredFile(store, row.storage_key);
              const problem = !data
                ? 'is missing from the file store'
                : data.length !== row.size_bytes || sha256Hex(data) !== row.sha256
                  ? `does not match its recorded size and SHA-256 (${data.length} bytes stored, ${row.size_bytes} recorded)`
                  : undefined;
              if (data && !problem) {
                const line: FileLine = {
                  file: row.storage_key,
                  size: data.length,
                  sha256: row.sha256,
                  data: data.toString('base64'),
                };
                await write(line);
                fileCount++;
              } else {
                missingFiles.push(row.storage_key);
                warn(
                  `Attachment ${row.id} ("${row.filename}"): its file ${problem}; the archive has its row but not the file.`,
                );
              }
              onProgress?.(++done, total);
            }
            const last = batch.rows.at(-1);
            if (!last || batch.rows.length < FILE_CHUNK) break;
            after = last.storage_key;
          }
        }
        await write({
          end: true,
          counts,
          files: store ? fileCount : null,
          missing_files: missingFiles,
        });
      });
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    fs.renameSync(tmpPath, outPath); // never leave a half-written archive under the real name
    return { counts, files: fileCount, missingFiles };
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
 *
 * Attachment files (version 2) are checked against their line and their attachment row (size
 * and SHA-256) and written to `options.files` inside the database transaction: if anything
 * fails, the transaction rolls back and the files already written are removed again.
 */
export async function importArchive(
  db: Db,
  inPath: string,
  options: ArchiveOptions = {},
): Promise<ArchiveSummary> {
  const { files: store, onProgress } = options;
  const warn = options.onWarning ?? (() => {});
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
  /** Keys written to the store so far: removed again if the restore fails. */
  const written: string[] = [];

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
    // Version 1 had no files; from version 2, null means "made without a file store".
    const archivedFiles =
      header.version >= 2 && typeof header.files === 'number' ? header.files : null;
    if (archivedFiles !== null && archivedFiles > 0 && !store) {
      throw new ArchiveError(
        `${inPath}:1: the archive carries ${archivedFiles} attachment files, but no file store was given to restore them into`,
      );
    }
    await assertNotNewer(db);
    await prepareSchema(db, migration);

    const counts: Record<string, number> = {};
    let missingFiles: string[] = [];
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
      const total =
        Object.values(header.counts ?? {}).reduce((a, b) => a + b, 0) + (archivedFiles ?? 0);
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
      const restoreFile = async (record: Record<string, unknown>) => {
        const at = `${inPath}:${lineNo}`;
        if (archivedFiles === null || !store || !known.has('attachment')) {
          throw new ArchiveError(`${at}: a file line in an archive that declares no files`);
        }
        const line = record as Partial<FileLine>;
        const key = String(line.file);
        if (
          typeof line.size !== 'number' ||
          typeof line.sha256 !== 'string' ||
          typeof line.data !== 'string'
        ) {
          throw new ArchiveError(
            `${at}: expected {"file": <storage key>, "size": N, "sha256": "…", "data": "<base64>"}`,
          );
        }
        try {
          checkKey(key);
        } catch {
          throw new ArchiveError(`${at}: ${JSON.stringify(key)} is not a valid storage key`);
        }
        if (written.includes(key)) throw new ArchiveError(`${at}: the file ${key} appears twice`);
        const row = (
          await sql<AttachmentFileRow>`
            select id, filename, storage_key, sha256, size_bytes from attachment
            where storage_key = ${key}`.execute(trx)
        ).rows[0];
        if (!row) {
          throw new ArchiveError(`${at}: the file ${key} belongs to no attachment in the archive`);
        }
        const data = Buffer.from(line.data, 'base64');
        if (
          data.length !== line.size ||
          data.length !== row.size_bytes ||
          sha256Hex(data) !== line.sha256 ||
          line.sha256 !== row.sha256
        ) {
          throw new ArchiveError(
            `${at}: the file of attachment ${row.id} ("${row.filename}") does not match its size and SHA-256; the archive is damaged, nothing was restored`,
          );
        }
        written.push(key);
        await store.put(key, data);
        onProgress?.(++done, Math.max(total, done));
      };
      for (let record = await nextRecord(); record; record = await nextRecord()) {
        if (record.end === true) {
          ended = record;
          break;
        }
        if ('file' in record) {
          await flush(); // the attachment rows must be in before their files are checked
          batchTable = undefined;
          await restoreFile(record);
          continue;
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
      missingFiles = await checkFiles(trx, inPath, ended, archivedFiles, written, warn);
      await resetSequences(trx);
    });
    await migrateToLatest(db);
    return { counts, files: written.length, missingFiles };
  } catch (error) {
    if (store && written.length > 0) {
      // Nothing half-restored: the rows rolled back, so the files go too.
      await Promise.allSettled(written.map((key) => store.delete(key)));
    }
    throw error;
  } finally {
    lines.close();
  }
}

/**
 * After the last line: every attachment has its file, or the archive said at export that it was
 * missing. Returns the missing ones (each also a warning). A version 1 archive has no files: its
 * attachments restore without them, with one warning.
 */
async function checkFiles(
  trx: Db,
  inPath: string,
  ended: Record<string, unknown>,
  archivedFiles: number | null,
  written: string[],
  warn: (line: string) => void,
): Promise<string[]> {
  const hasTable = await sql<{ t: string | null }>`select to_regclass('attachment')::text as t`
    .execute(trx)
    .then((r) => r.rows[0]?.t != null);
  if (!hasTable) return [];
  const rows = (
    await sql<Pick<AttachmentFileRow, 'id' | 'filename' | 'storage_key'>>`
      select id, filename, storage_key from attachment order by storage_key`.execute(trx)
  ).rows;
  if (archivedFiles === null) {
    if (rows.length > 0) {
      warn(
        `The archive carries no attachment files (it was made by an older Tandem or without a file store): ${rows.length} attachments were restored without them. Copy the files from the old files directory into the file store.`,
      );
    }
    return [];
  }
  if (ended.files !== written.length) {
    throw new ArchiveError(
      `${inPath}: the end line counts ${String(ended.files)} files but the archive holds ${written.length}; nothing was restored`,
    );
  }
  const declared = new Set(
    Array.isArray(ended.missing_files) ? ended.missing_files.map(String) : [],
  );
  const restored = new Set(written);
  const missing: string[] = [];
  for (const row of rows) {
    if (restored.has(row.storage_key)) continue;
    if (!declared.has(row.storage_key)) {
      throw new ArchiveError(
        `${inPath}: the archive has no file for attachment ${row.id} ("${row.filename}"); nothing was restored`,
      );
    }
    missing.push(row.storage_key);
    warn(
      `Attachment ${row.id} ("${row.filename}") was restored without its file: it was missing when the archive was made.`,
    );
  }
  return missing;
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
