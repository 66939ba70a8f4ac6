import { copyRequest } from './copy.ts';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';

/**
 * Kysely dialect for PGlite whose transactions go through `pglite.transaction()`.
 *
 * Why not `kysely-pglite`: PGlite has a single session, and sending raw BEGIN/COMMIT on it lets an
 * unrelated request's statement run inside someone else's transaction (and vanish on its
 * rollback). `pglite.transaction()` holds PGlite's transaction mutex until the callback settles,
 * and every plain `pglite.query()` waits on that mutex, so statements outside a transaction are
 * queued until it ends instead of joining it.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }
  createQueryCompiler(): QueryCompiler {
    return new PostgresQueryCompiler();
  }
  createAdapter(): DialectAdapter {
    return new PostgresAdapter();
  }
  // biome-ignore lint/suspicious/noExplicitAny: Kysely's own signature takes Kysely<any>
  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new PostgresIntrospector(db);
  }
}

class PGliteDriver implements Driver {
  readonly #pglite: PGlite;
  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }
  async init(): Promise<void> {}
  async acquireConnection(): Promise<DatabaseConnection> {
    // A fresh connection object per acquisition: only the one that began a transaction carries it.
    return new PGliteConnection(this.#pglite);
  }
  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    await (connection as PGliteConnection).begin(settings);
  }
  async commitTransaction(connection: DatabaseConnection) {
    await (connection as PGliteConnection).end('commit');
  }
  async rollbackTransaction(connection: DatabaseConnection) {
    await (connection as PGliteConnection).end('rollback');
  }
  async savepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdent(name)}`));
  }
  async rollbackToSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdent(name)}`));
  }
  async releaseSavepoint(connection: DatabaseConnection, name: string) {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdent(name)}`));
  }
  async releaseConnection(): Promise<void> {}
  async destroy(): Promise<void> {}
}

interface OpenTransaction {
  tx: Transaction;
  finish: (outcome: 'commit' | 'rollback') => void;
  done: Promise<void>;
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;
  #open: OpenTransaction | undefined;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async begin(settings: TransactionSettings): Promise<void> {
    if (this.#open) throw new Error('PGlite connection already has an open transaction');
    let finish!: (outcome: 'commit' | 'rollback') => void;
    const outcome = new Promise<'commit' | 'rollback'>((resolve) => {
      finish = resolve;
    });
    let ready!: (tx: Transaction) => void;
    let failed!: (error: unknown) => void;
    const started = new Promise<Transaction>((resolve, reject) => {
      ready = resolve;
      failed = reject;
    });
    const done = this.#pglite
      .transaction(async (tx) => {
        if (settings.isolationLevel) {
          await tx.query(`set transaction isolation level ${settings.isolationLevel}`);
        }
        if (settings.accessMode) await tx.query(`set transaction ${settings.accessMode}`);
        ready(tx);
        if ((await outcome) === 'rollback') await tx.rollback();
      })
      .then(
        () => undefined,
        (error: unknown) => {
          failed(error);
          throw error;
        },
      );
    // `done` is awaited in end(); this guard only stops a failed BEGIN from being reported twice.
    done.catch(() => {});
    const tx = await started;
    this.#open = { tx, finish, done };
  }

  async end(outcome: 'commit' | 'rollback'): Promise<void> {
    const open = this.#open;
    if (!open) throw new Error('PGlite connection has no open transaction');
    this.#open = undefined;
    open.finish(outcome);
    await open.done;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const runner = this.#open?.tx ?? this.#pglite;
    const copy = copyRequest(compiledQuery.sql, compiledQuery.parameters);
    if (copy) {
      // PGlite reads COPY … FROM STDIN's rows from a blob it names /dev/blob (db/copy.ts).
      const result = await runner.query(
        copy.sql.replace(/ from stdin$/i, " from '/dev/blob'"),
        [],
        { blob: new Blob([copy.payload.text]) },
      );
      return { rows: [], numAffectedRows: BigInt(result.affectedRows ?? 0) };
    }
    const result = await runner.query<R>(compiledQuery.sql, [...compiledQuery.parameters], {
      rowMode: 'object',
    });
    const command = compiledQuery.query.kind;
    const mutates =
      command === 'InsertQueryNode' ||
      command === 'UpdateQueryNode' ||
      command === 'DeleteQueryNode' ||
      command === 'MergeQueryNode';
    return {
      rows: result.rows,
      ...(mutates || result.affectedRows
        ? { numAffectedRows: BigInt(result.affectedRows ?? 0) }
        : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is not supported on PGlite; fail loudly
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streamQuery is not supported by the PGlite dialect');
  }
}

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
