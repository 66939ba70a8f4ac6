import path from 'node:path';
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { ANALYZE_USAGE, analyzeCommand, CliInputError } from './cli/analyze.ts';
import { createProgress } from './cli/progress.ts';
import { type DatabaseHandle, openDatabase } from './db/connect.ts';
import { exportArchive, importArchive } from './db/archive.ts';
import { migrateToLatest, migrationStatus } from './db/migrate.ts';
import { createUser } from './modules/accounts/auth.service.ts';
import { createContext } from './platform/context.ts';
import { AppError } from './platform/errors.ts';
import { fileStoreFromEnv } from './platform/s3-file-store.ts';
import { StartupError } from './platform/startup-error.ts';
import { SeedAbortedError, seedDemo } from './seed/seed.ts';
import { demoAccountsNotice } from './seed/structure.seed.ts';
import { startServer } from './server.ts';
import { APP_VERSION } from './version.ts';

const COMMON_HELP = `
Database:
  --data-dir DIR   embedded database directory (env TANDEM_DATA_DIR, default ./data)
  DATABASE_URL     env: postgres://user:pass@host:port/db runs on PostgreSQL instead
Attachment files (serve, export, import):
  <data dir>/files, or env TANDEM_FILES_DIR; env TANDEM_S3_BUCKET (+ TANDEM_S3_ENDPOINT,
  TANDEM_S3_REGION, TANDEM_S3_ACCESS_KEY_ID, TANDEM_S3_SECRET_ACCESS_KEY, TANDEM_S3_PREFIX, …)
  keeps them in S3-compatible storage instead`;

const COMMANDS: Record<
  string,
  { summary: string; usage: string; run: (args: string[]) => Promise<void> }
> = {
  serve: {
    summary: 'serve the web app and the API (migrates, and seeds the demo on first start)',
    usage: `tandem serve [--port N] [--host H] [--no-seed]

  --port N     port to listen on (env PORT, default 3000)
  --host H     interface to bind (env HOST, default localhost; 0.0.0.0 for all)
  --no-seed    do not seed the demo coalition into an empty database`,
    run: serve,
  },
  migrate: {
    summary: 'apply pending database migrations (--status lists them)',
    usage: `tandem migrate [--status]

  --status     list every migration and when it was applied; change nothing`,
    run: migrate,
  },
  seed: {
    summary: 'write the demo coalition into an empty database',
    usage: `tandem seed [--size small|large]

  --size small   a believable city coalition (default)
  --size large   a benchmark-sized one (10k organisations, …)`,
    run: seed,
  },
  user: {
    summary: 'create an account (user create --email E --name N [--admin])',
    usage: `tandem user create --email EMAIL --name NAME [--admin] [--password-stdin]

  --email EMAIL       sign-in email
  --name NAME         display name
  --admin             make the account an instance admin (the first admin is made this way)
  --password-stdin    read the password from the first line of standard input
                      (otherwise it is asked for on the terminal, without echo)`,
    run: userCommand,
  },
  export: {
    summary: 'back up all data and attachment files to a versioned JSON-lines archive',
    usage: `tandem export --out FILE

  --out FILE   archive to write (written to FILE.partial-<pid> first, then renamed)

Attachment files are read from the file store the server uses (see tandem --help). A file
missing from it is reported and recorded in the archive; the backup still completes.`,
    run: exportCommand,
  },
  analyze: {
    summary: 'analyse data without a database (analyze spc: run and control charts)',
    usage: ANALYZE_USAGE,
    run: async (args) => {
      const output = await analyzeCommand(args);
      console.log(output ?? ANALYZE_USAGE);
    },
  },
  import: {
    summary: 'restore an archive into an empty database (all or nothing)',
    usage: `tandem import --in FILE

  --in FILE    archive made by \`tandem export\`

Attachment files are written to the file store the server uses (see tandem --help), each
checked against its SHA-256; if anything fails, no row is kept and the files written are removed.`,
    run: importCommand,
  },
};

function mainHelp(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  const lines = Object.entries(COMMANDS).map(
    ([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`,
  );
  return `Tandem ${APP_VERSION}: improvement, evidence and ecosystem platform for education coalitions

Usage: tandem <command> [options]   (tandem <command> --help for details)

Commands:
${lines.join('\n')}
${COMMON_HELP}`;
}

class UsageError extends Error {}

function parse<T extends Record<string, { type: 'string' | 'boolean' }>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({
      args,
      options: {
        ...options,
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

const dataDirOf = (values: { 'data-dir'?: string | boolean | undefined }) =>
  path.resolve(String(values['data-dir'] ?? process.env.TANDEM_DATA_DIR ?? 'data'));

/** Opens the configured database for one command; Ctrl-C aborts `signal` and closes cleanly. */
async function withDatabase<T>(
  values: { 'data-dir'?: string | boolean | undefined },
  work: (handle: DatabaseHandle, signal: AbortSignal) => Promise<T>,
) {
  const handle = await openDatabase({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: process.env.DATABASE_URL ? undefined : dataDirOf(values),
    appVersion: APP_VERSION,
  });
  // Ctrl-C: abort cleanly so the lock is released and no transaction is left half-done.
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(handle, controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await handle.close();
  }
}

async function serve(args: string[]) {
  const values = parse(args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'no-seed': { type: 'boolean' },
  });
  if (values.help) return void console.log(COMMANDS.serve?.usage);
  const port = Number(values.port ?? process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0–65535, got ${values.port ?? process.env.PORT}`);
  const controller = new AbortController();
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      console.error('Forced exit.');
      process.exit(130);
    }
    stopping = true;
    console.error(`\n${signal}: shutting down…`);
    controller.abort();
    if (server) {
      await server.close();
      console.error('Stopped cleanly.');
      process.exit(0);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  try {
    server = await startServer({
      port,
      host: String(values.host ?? process.env.HOST ?? 'localhost'),
      dataDir: dataDirOf(values),
      databaseUrl: process.env.DATABASE_URL,
      seed: values['no-seed'] ? false : 'small',
      // TANDEM_WEB_ROOT serves a prebuilt web app from elsewhere (and skips the build check).
      ...(process.env.TANDEM_WEB_ROOT
        ? { webRoot: path.resolve(process.env.TANDEM_WEB_ROOT) }
        : {}),
      signal: controller.signal,
      say: (line) => console.log(line),
      logger: { level: process.env.LOG_LEVEL ?? 'warn' },
    });
  } catch (error) {
    if (error instanceof SeedAbortedError || controller.signal.aborted) {
      console.error('Interrupted before the server started; nothing half-written was kept.');
      process.exit(130);
    }
    throw error;
  }
  if (stopping) return void (await server.close());
  const mode = process.env.DATABASE_URL ? 'PostgreSQL' : `embedded PGlite in ${dataDirOf(values)}`;
  console.log(
    `Tandem ${APP_VERSION} is running at ${server.url} (${mode}). API docs: ${server.url}/api/docs. Ctrl-C stops it.`,
  );
}

async function migrate(args: string[]) {
  const values = parse(args, { status: { type: 'boolean' } });
  if (values.help) return void console.log(COMMANDS.migrate?.usage);
  await withDatabase(values, async ({ db }) => {
    if (values.status) {
      const status = await migrationStatus(db);
      for (const m of status) {
        console.log(
          `${m.applied_at ? 'applied' : 'pending'}  ${m.name}${m.applied_at ? `  ${m.applied_at.toISOString()}` : ''}`,
        );
      }
      const pending = status.filter((m) => !m.applied_at).length;
      console.log(`${status.length - pending} applied, ${pending} pending`);
      return;
    }
    const applied = await migrateToLatest(db);
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date.');
  });
}

async function seed(args: string[]) {
  const values = parse(args, { size: { type: 'string' } });
  if (values.help) return void console.log(COMMANDS.seed?.usage);
  const size = values.size ?? 'small';
  if (size !== 'small' && size !== 'large')
    throw new UsageError(`--size must be small or large, got ${size}`);
  await withDatabase(values, async ({ db, mode }, signal) => {
    await migrateToLatest(db);
    const progress = new Map<string, ReturnType<typeof createProgress>>();
    const started = Date.now();
    await seedDemo(createContext(db, mode, APP_VERSION), {
      size,
      ...(process.env.TANDEM_SEED_STEP_DELAY_MS
        ? { stepDelayMs: Number(process.env.TANDEM_SEED_STEP_DELAY_MS) }
        : {}),
      signal,
      onProgress(step, done, total) {
        let bar = progress.get(step);
        if (!bar) {
          for (const previous of progress.values()) previous.done();
          bar = createProgress(`seed ${step}`);
          progress.set(step, bar);
        }
        bar.update(done, total);
      },
    });
    for (const bar of progress.values()) bar.done();
    console.log(
      `Seeded the ${size} demo coalition in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
    );
    console.log(demoAccountsNotice());
  });
}

async function exportCommand(args: string[]) {
  const values = parse(args, { out: { type: 'string' } });
  if (values.help) return void console.log(COMMANDS.export?.usage);
  if (!values.out) throw new UsageError('--out FILE is required');
  const out = path.resolve(values.out);
  // Built before the database is opened, so a misconfigured store fails fast.
  const files = fileStoreFromEnv({ dataDir: dataDirOf(values) });
  await withDatabase(values, async ({ db }) => {
    await migrateToLatest(db);
    const bar = createProgress('export');
    const warnings: string[] = [];
    const result = await exportArchive(db, out, APP_VERSION, {
      files: files.store,
      onProgress: (d, t) => bar.update(d, t),
      onWarning: (line) => warnings.push(line),
    });
    bar.done(`Wrote ${out}: ${summarise(result)}`);
    for (const line of warnings) console.error(`Warning: ${line}`);
  });
}

async function importCommand(args: string[]) {
  const values = parse(args, { in: { type: 'string' } });
  if (values.help) return void console.log(COMMANDS.import?.usage);
  if (!values.in) throw new UsageError('--in FILE is required');
  const file = path.resolve(values.in);
  const files = fileStoreFromEnv({ dataDir: dataDirOf(values) });
  await withDatabase(values, async ({ db }) => {
    const bar = createProgress('import');
    const warnings: string[] = [];
    const result = await importArchive(db, file, {
      files: files.store,
      onProgress: (d, t) => bar.update(d, t),
      onWarning: (line) => warnings.push(line),
    });
    bar.done(`Restored ${file}: ${summarise(result)}`);
    console.log(files.description);
    for (const line of warnings) console.error(`Warning: ${line}`);
  });
}

async function userCommand(args: string[]) {
  const [action, ...rest] = args;
  const values = parse(rest, {
    email: { type: 'string' },
    name: { type: 'string' },
    admin: { type: 'boolean' },
    'password-stdin': { type: 'boolean' },
  });
  if (values.help || action === '--help' || action === '-h')
    return void console.log(COMMANDS.user?.usage);
  if (action !== 'create')
    throw new UsageError(`unknown action "${action ?? ''}"; only "create" exists`);
  if (!values.email || !values.name) throw new UsageError('--email and --name are required');
  const password = values['password-stdin']
    ? await readFirstLine(process.stdin)
    : await askHidden('Password (12+ characters): ');
  await withDatabase(values, async ({ db, mode }) => {
    await migrateToLatest(db);
    try {
      const user = await createUser(createContext(db, mode, APP_VERSION), {
        email: String(values.email),
        display_name: String(values.name),
        password,
        is_admin: values.admin === true,
      });
      console.log(`Created ${user.is_admin ? 'admin ' : ''}account ${user.email} (${user.id}).`);
    } catch (error) {
      if (error instanceof AppError) {
        const fields = (error.errors ?? []).map(
          (e) => `${e.path.replace('/body/', '--')}: ${e.message}`,
        );
        throw new UsageError(fields.length ? fields.join('\n') : error.detail);
      }
      throw error;
    }
  });
}

async function readFirstLine(stream: NodeJS.ReadStream): Promise<string> {
  const lines = readline.createInterface({ input: stream });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  throw new UsageError('--password-stdin: standard input was empty');
}

/** Asks on the terminal without echoing what is typed. */
function askHidden(question: string): Promise<string> {
  if (!process.stdin.isTTY) {
    throw new UsageError('no terminal to ask for the password on: use --password-stdin');
  }
  return new Promise((resolve) => {
    const rl = readline.createInterface({
      input: process.stdin,
      output: process.stdout,
      terminal: true,
    });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      resolve(answer);
    });
    output._writeToOutput = () => {}; // mute the echo of what follows the prompt
  });
}

const summarise = (result: {
  counts: Record<string, number>;
  files: number;
  missingFiles: string[];
}) => {
  const rows =
    Object.entries(result.counts)
      .map(([table, n]) => `${n} ${table}`)
      .join(', ') || 'no rows';
  const missing = result.missingFiles.length;
  return `${rows}; ${result.files} attachment file${result.files === 1 ? '' : 's'}${missing ? ` (${missing} missing, see the warnings)` : ''}`;
};

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(mainHelp());
    return 0;
  }
  if (command === '--version' || command === '-v') {
    console.log(APP_VERSION);
    return 0;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    console.error(`tandem: unknown command "${command}"\n\n${mainHelp()}`);
    return 2;
  }
  try {
    await entry.run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`tandem ${command}: ${error.message}\n\nUsage: ${entry.usage}`);
      return 2;
    }
    if (error instanceof CliInputError) {
      console.error(`tandem ${command}: ${error.message}`);
      return 2;
    }
    if (error instanceof StartupError) {
      console.error(`tandem ${command}: ${error.message}`);
      return 1;
    }
    if (error instanceof SeedAbortedError) {
      console.error(`tandem ${command}: interrupted; nothing was written.`);
      return 130;
    }
    console.error(`tandem ${command}: unexpected error`, error);
    return 1;
  }
}
