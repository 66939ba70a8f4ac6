/**
 * Cross-site request forgery protection for cookie-authenticated writes: an unsafe request to the
 * API must come from our own origin. Browsers send `Origin` on every cross-origin request and on
 * same-origin POST/PATCH/DELETE (Fetch standard), so a page elsewhere cannot forge one; a request
 * that carries the session cookie but neither `Origin` nor `Referer` is refused, since only a
 * non-browser client would send that and it should use an API token instead.
 * Bearer-token calls cannot be forged by a browser and need no check.
 */
import type { FastifyRequest } from 'fastify';
import { readCookie, SESSION_COOKIE } from './cookies.ts';
import { AppError } from './errors.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    return new URL(value).origin;
  } catch {
    return 'invalid';
  }
}

export function ensureSameOrigin(request: FastifyRequest): void {
  if (SAFE_METHODS.has(request.method) || !request.url.startsWith('/api/')) return;
  if (request.headers.authorization !== undefined) return;
  const claimed = originOf(request.headers.origin) ?? originOf(request.headers.referer);
  if (claimed === undefined) {
    if (readCookie(request, SESSION_COOKIE) === undefined) return;
    throw new AppError(
      'cross_site_request',
      'A request signed in with the session cookie must carry an Origin header; scripts should use an API token.',
    );
  }
  // URL normalises default ports away, as browsers do in Origin.
  const ours = originOf(`${request.protocol}://${request.host}`);
  if (claimed !== ours) {
    throw new AppError(
      'cross_site_request',
      `Requests from ${claimed} may not change data here; open ${ours} instead.`,
    );
  }
}
