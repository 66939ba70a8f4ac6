/**
 * A real Tandem server for the browser tests: the built web app and the API on one origin, on a
 * free port, with a fresh data directory. The web app is built first when dist/web is missing or
 * older than its sources.
 *
 * Writes need a signed-in user: `json()` acts as the demo seed's instance admin through a personal
 * API token (Bearer), unless told `signedOut: true`. Emails are written as .eml files to
 * `<dataDir>/outbox/`; `nextEmail()` reads them.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { buildWeb, WEB_DIST, webBuildIsStale } from '../../../src/server/web-build.ts';

/** The demo seed's accounts (seed 'small'), all with the same password. */
export const DEMO = {
  password: 'riverbend-demo-2026',
  admin: { email: 'admin@riverbend.demo', name: 'Avery Admin' },
  hubFacilitator: { email: 'facilitator@riverbend.demo', name: 'Fran Okafor' },
  networkFacilitator: { email: 'literacy.facilitator@riverbend.demo', name: 'Nia Castillo' },
  teamMember: { email: 'member@riverbend.demo', name: 'Tomás Reyes' },
  reviewer: { email: 'reviewer@riverbend.demo', name: 'Rae Lindqvist' },
  partner: { email: 'partner@riverbend.demo', name: 'Pat Mensah' },
} as const;

let building: Promise<void> | undefined;

/** Builds dist/web (as `npm start` would) once per test process, if missing or stale. */
export function ensureWebBuild(): Promise<void> {
  building ??= webBuildIsStale() ? buildWeb() : Promise.resolve();
  return building;
}

/** The signed-in user as the API describes it (GET /api/v1/me). */
export interface TestUser {
  id: string;
  email: string;
  display_name: string;
  is_admin: boolean;
}

export interface NewTestUser {
  email: string;
  display_name: string;
  /** At least 12 characters and not a common password (the password policy applies). */
  password: string;
  is_admin?: boolean;
}

export interface JsonInit extends RequestInit {
  /** Ask as a signed-out visitor instead of as the demo admin. */
  signedOut?: boolean;
}

/** An email from the outbox, decoded. */
export interface OutboxEmail {
  file: string;
  to: string;
  subject: string;
  /** The plain-text body, quoted-printable decoded, with \n line ends. */
  text: string;
}

export interface TestServer {
  url: string;
  /** The server's data directory; emails land in `<dataDir>/outbox/`. */
  dataDir: string;
  /** Creates an account directly through the service (as `tandem user create` does). */
  createUser(input: NewTestUser): Promise<TestUser>;
  /**
   * Fetches from the server and returns the parsed JSON body (throws on a non-2xx answer). Acts as
   * the demo admin (a read_write API token, created on first use) unless `signedOut` is set.
   */
  json<T = unknown>(path: string, init?: JsonInit): Promise<{ body: T; etag: string | null }>;
  /**
   * Signs a browser context in (its cookie jar gets the session), as a browser would: with an
   * Origin header. The demo admin unless told otherwise.
   */
  signIn(context: BrowserContext, account?: { email: string; password?: string }): Promise<void>;
  /**
   * The next email to `to` that this server has not handed out yet, waiting for it to be written
   * (some are sent after the answer). Oldest first.
   */
  nextEmail(to: string, options?: { timeoutMs?: number }): Promise<OutboxEmail>;
  close(): Promise<void>;
}

/** Quoted-printable (RFC 2045 §6.7): soft line breaks removed, `=XX` bytes decoded as UTF-8. */
export function decodeQuotedPrintable(body: string): string {
  const joined = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i] as string, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

/** RFC 2047 "B" encoded-words (`=?UTF-8?B?…?=`), as the outbox writes non-ASCII subjects. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b64: string) =>
      Buffer.from(b64, 'base64').toString('utf8'),
    );
}

/** Reads one .eml file of the outbox (single text/plain part, as the server writes them). */
export function parseEml(file: string, eml: string): OutboxEmail {
  const split = eml.indexOf('\r\n\r\n');
  const head = eml.slice(0, split).replace(/\r\n[ \t]/g, ' ');
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return {
    file,
    to: headers.get('to') ?? '',
    subject: decodeWords(headers.get('subject') ?? ''),
    text: decodeQuotedPrintable(eml.slice(split + 4)),
  };
}

/** The link in an email to `<url><path>#<secret>`, e.g. the invitation link. */
export function linkIn(email: OutboxEmail, url: string, path: string): string {
  const escaped = `${url}${path}`.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${escaped}#[A-Za-z0-9_-]+`).exec(email.text);
  if (!match) throw new Error(`No ${path} link in the email "${email.subject}":\n${email.text}`);
  return match[0];
}

export async function startTestServer(
  options: { seed?: 'small' | false } = {},
): Promise<TestServer> {
  await ensureWebBuild();
  const dataDir = await mkdtemp(join(tmpdir(), 'tandem-e2e-'));
  const { startServer } = await import('../../../src/server/server.ts');
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    seed: options.seed ?? 'small',
    webRoot: WEB_DIST,
  });
  const { createUser } = await import('../../../src/server/modules/accounts/auth.service.ts');
  const outboxDir = join(dataDir, 'outbox');
  const handedOut = new Set<string>();

  async function request<T>(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers);
    if (init.body !== undefined) headers.set('content-type', 'application/json');
    const response = await fetch(new URL(path, server.url), { ...init, headers });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`${init.method ?? 'GET'} ${path} → ${response.status}: ${text}`);
    return {
      body: (text ? JSON.parse(text) : null) as T,
      etag: response.headers.get('etag'),
      headers: response.headers,
    };
  }

  // The demo admin's API token: signed in once (no cookie is sent, so no Origin is needed), then
  // a token created with the session cookie and the Origin a browser would send.
  let adminToken: Promise<string> | undefined;
  const tokenOfAdmin = async (): Promise<string> => {
    const signedIn = await request('/api/v1/auth/sign-in', {
      method: 'POST',
      body: JSON.stringify({ email: DEMO.admin.email, password: DEMO.password }),
    });
    const cookie = signedIn.headers.get('set-cookie')?.split(';')[0];
    if (!cookie) throw new Error('Signing in as the demo admin set no cookie');
    const created = await request<{ token: string }>('/api/v1/me/tokens', {
      method: 'POST',
      headers: { cookie, origin: server.url },
      body: JSON.stringify({ name: 'e2e fixtures', scope: 'read_write', expires_in_days: 1 }),
    });
    return created.body.token;
  };

  return {
    url: server.url,
    dataDir,
    createUser: (input) => createUser(server.ctx, input),
    async json<T>(path: string, { signedOut = false, ...init }: JsonInit = {}) {
      const headers = new Headers(init.headers);
      if (!signedOut) {
        adminToken ??= tokenOfAdmin();
        headers.set('authorization', `Bearer ${await adminToken}`);
      }
      const { body, etag } = await request<T>(path, { ...init, headers });
      return { body, etag };
    },
    async signIn(context, account = { email: DEMO.admin.email }) {
      const response = await context.request.post(`${server.url}/api/v1/auth/sign-in`, {
        data: { email: account.email, password: account.password ?? DEMO.password },
        headers: { origin: server.url },
      });
      if (response.status() !== 200)
        throw new Error(`Signing in as ${account.email} → ${response.status()}`);
    },
    async nextEmail(to, { timeoutMs = 10_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        // File names start with the time written, so a sorted listing is oldest first; files
        // being written have a dot-prefixed temporary name.
        const files = (await readdir(outboxDir).catch(() => [] as string[]))
          .filter((name) => name.endsWith('.eml') && !name.startsWith('.'))
          .sort();
        for (const name of files) {
          if (handedOut.has(name)) continue;
          const email = parseEml(name, await readFile(join(outboxDir, name), 'utf8'));
          if (email.to.toLowerCase() !== to.toLowerCase()) continue;
          handedOut.add(name);
          return email;
        }
        if (Date.now() > deadline) throw new Error(`No email to ${to} in ${outboxDir}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
