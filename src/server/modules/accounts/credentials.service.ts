import type { FastifyRequest } from 'fastify';
import type { AppContext } from '../../platform/context.ts';
import { readCookie, SESSION_COOKIE } from '../../platform/cookies.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { hashSecret, newSecret } from '../../platform/secrets.ts';
import { toMe, unauthenticated } from './auth.service.ts';
import type { MeResponse } from './auth.schemas.ts';
import type {
  ApiTokenResponse,
  CreateApiTokenInput,
  SessionResponse,
} from './credentials.schemas.ts';
import * as repo from './user.repository.ts';

/** Personal API tokens start with this, so that secret scanners and people can spot them. */
export const TOKEN_PREFIX = 'tdm_';
const TOUCH_EVERY_MS = 60_000;

/** Who is calling, and how: a browser session (cookie) or a personal API token (Bearer). */
export interface Actor {
  user: MeResponse;
  via: 'session' | 'token';
  /** Sessions can do whatever the user can; a token may be limited to reading. */
  scope: 'read' | 'read_write';
  sessionId?: string;
}

/**
 * Resolves the caller from `Authorization: Bearer tdm_…` or the session cookie. A malformed or
 * unknown Bearer token is refused outright rather than falling back to the cookie.
 */
export async function authenticate(
  ctx: AppContext,
  request: FastifyRequest,
): Promise<Actor | undefined> {
  const now = ctx.now();
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
    if (!token?.startsWith(TOKEN_PREFIX)) {
      throw new AppError(
        'unauthenticated',
        'Authorization must be "Bearer tdm_…" with a personal API token.',
      );
    }
    const row = await repo.findTokenUser(ctx.db, hashSecret(token), now);
    if (!row)
      throw new AppError('unauthenticated', 'This API token is unknown, revoked or expired.');
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
      await repo.touchApiToken(ctx.db, row.token_id, now);
    }
    return { user: toMe(row), via: 'token', scope: row.scope };
  }
  const cookie = readCookie(request, SESSION_COOKIE);
  if (!cookie) return undefined;
  const row = await repo.findSessionUser(ctx.db, hashSecret(cookie), now);
  if (!row) return undefined;
  if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS)
    await repo.touchSession(ctx.db, row.session_id, now);
  return { user: toMe(row), via: 'session', scope: 'read_write', sessionId: row.session_id };
}

export async function requireActor(ctx: AppContext, request: FastifyRequest): Promise<Actor> {
  const actor = await authenticate(ctx, request);
  if (!actor) throw unauthenticated();
  return actor;
}

interface ListInput {
  limit?: number | undefined;
  cursor?: string | undefined;
}
const keyOf = (row: { created_at: Date; id: string }) => [row.created_at.toISOString(), row.id];

export async function listSessions(
  ctx: AppContext,
  actor: Actor,
  input: ListInput,
): Promise<Page<SessionResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listSessions(ctx.db, actor.user.id, limit, after);
  return toPage(rows, limit, keyOf, (row) => ({
    id: row.id,
    created_at: row.created_at.toISOString(),
    last_seen_at: row.last_seen_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
    user_agent: row.user_agent,
    current: row.id === actor.sessionId,
  }));
}

export async function revokeSession(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  requireWriteScope(actor);
  if (!(await repo.deleteSession(ctx.db, actor.user.id, id))) throw notFound('Session', id);
}

function toTokenResponse(row: repo.ApiTokenRow): ApiTokenResponse {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at?.toISOString() ?? null,
    last_used_at: row.last_used_at?.toISOString() ?? null,
  };
}

export async function listApiTokens(
  ctx: AppContext,
  actor: Actor,
  input: ListInput,
): Promise<Page<ApiTokenResponse>> {
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  return toPage(
    await repo.listApiTokens(ctx.db, actor.user.id, limit, after),
    limit,
    keyOf,
    toTokenResponse,
  );
}

/** Creates a token and returns its secret, the only time it is ever shown. */
export async function createApiToken(
  ctx: AppContext,
  actor: Actor,
  input: CreateApiTokenInput,
): Promise<ApiTokenResponse & { token: string }> {
  requireWriteScope(actor);
  if (actor.via === 'token') {
    throw new AppError(
      'forbidden',
      'API tokens cannot create other tokens; sign in to the web app to make one.',
    );
  }
  const token = `${TOKEN_PREFIX}${newSecret()}`;
  const now = ctx.now();
  const row = await repo.insertApiToken(ctx.db, {
    id: ctx.newId(),
    user_id: actor.user.id,
    name: input.name.trim(),
    token_hash: hashSecret(token),
    scope: input.scope,
    created_at: now,
    expires_at: input.expires_in_days
      ? new Date(now.getTime() + input.expires_in_days * 86_400_000)
      : null,
    last_used_at: null,
  });
  return { ...toTokenResponse(row), token };
}

export async function revokeApiToken(ctx: AppContext, actor: Actor, id: string): Promise<void> {
  requireWriteScope(actor);
  if (!(await repo.deleteApiToken(ctx.db, actor.user.id, id))) throw notFound('API token', id);
}

/** Writes need a session or a read_write token. */
export function requireWriteScope(actor: Actor): void {
  if (actor.scope !== 'read_write') {
    throw new AppError(
      'forbidden',
      'This API token may only read; create a read_write token to make changes.',
    );
  }
}
