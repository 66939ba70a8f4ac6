import { passwordProblem } from '../../../core/accounts/password-policy.ts';
import { SYSTEM, type Viewer } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError, validationFailed } from '../../platform/errors.ts';
import { AttemptLimiter } from '../../platform/rate-limit.ts';
import { hashPassword, hashSecret, newSecret, verifyPassword } from '../../platform/secrets.ts';
import * as repo from './user.repository.ts';
import type { CreateUserInput, MeResponse, SignInInput } from './auth.schemas.ts';

export const SESSION_DAYS = 30;
const FIFTEEN_MINUTES = 15 * 60 * 1000;
/**
 * Per account: 5 failures in 15 minutes; per client address: 20 (schools share one address).
 * One pair per app instance (keyed by its context), so separate instances never share counts.
 */
const limiters = new WeakMap<
  AppContext,
  { byAccount: AttemptLimiter; byAddress: AttemptLimiter }
>();
function limitersFor(ctx: AppContext) {
  let pair = limiters.get(ctx);
  if (!pair) {
    pair = {
      byAccount: new AttemptLimiter(5, FIFTEEN_MINUTES),
      byAddress: new AttemptLimiter(20, FIFTEEN_MINUTES),
    };
    limiters.set(ctx, pair);
  }
  return pair;
}
/** Verified against when the email is unknown, so that a miss takes as long as a wrong password. */
let decoyHash: Promise<string> | undefined;

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function toMe(row: repo.UserRow): MeResponse {
  return { id: row.id, email: row.email, display_name: row.display_name, is_admin: row.is_admin };
}

export async function createUser(
  ctx: AppContext,
  input: CreateUserInput,
  options: {
    /** Who creates the account (audited); the server itself by default (CLI, seed). */
    viewer?: Pick<Viewer, 'userId' | 'requestId'>;
    /** A hash of `input.password` made earlier (the demo seed hashes its one password once). */
    passwordHash?: string;
  } = {},
): Promise<MeResponse> {
  const email = normaliseEmail(input.email);
  const errors = [];
  if (!/^[^@\s]+@[^@\s]+$/.test(email))
    errors.push({ path: '/body/email', message: 'is not an email address' });
  if (!input.display_name.trim())
    errors.push({ path: '/body/display_name', message: 'is required' });
  const weak = passwordProblem(input.password, { email, name: input.display_name });
  if (weak) errors.push({ path: '/body/password', message: weak });
  if (errors.length) throw validationFailed(errors);
  const passwordHash = options.passwordHash ?? (await hashPassword(input.password));
  const now = ctx.now();
  try {
    return await inTransaction(ctx, async (tx) => {
      const row = await repo.insertUser(tx.db, {
        id: tx.newId(),
        email,
        display_name: input.display_name.trim(),
        password_hash: passwordHash,
        is_admin: input.is_admin ?? false,
        created_at: now,
        updated_at: now,
      });
      const me = toMe(row);
      await recordAudit(tx, options.viewer ?? SYSTEM, {
        action: 'create',
        entityType: 'user',
        entityId: row.id,
        summary: `Created the account of ${me.display_name}${me.is_admin ? ' (instance admin)' : ''}`,
        after: me,
      });
      return me;
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError('conflict', 'An account with this email already exists.', [
        { path: '/body/email', message: 'already has an account' },
      ]);
    }
    throw error;
  }
}

export interface SignedIn {
  me: MeResponse;
  /** The cookie value; only its hash is stored. */
  token: string;
  expiresAt: Date;
}

export async function signIn(
  ctx: AppContext,
  input: SignInInput,
  client: { address: string; userAgent?: string | undefined },
): Promise<SignedIn> {
  const email = normaliseEmail(input.email);
  const { byAccount, byAddress } = limitersFor(ctx);
  byAddress.check(client.address, 'sign-in');
  byAccount.check(email, 'sign-in');
  const user = await repo.findUserByEmail(ctx.db, email);
  decoyHash ??= hashPassword('decoy password that never matches');
  const ok = await verifyPassword(input.password, user?.password_hash ?? (await decoyHash));
  if (!user?.password_hash || !ok) {
    byAddress.fail(client.address);
    byAccount.fail(email);
    throw new AppError('invalid_credentials', 'The email or the password is wrong.');
  }
  byAccount.reset(email);
  return openSession(ctx, user.id, client);
}

/** Starts a session for the user; returns the cookie value (only its hash is stored). */
export async function openSession(
  ctx: AppContext,
  userId: string,
  client: { userAgent?: string | undefined },
): Promise<SignedIn> {
  const user = await repo.findUser(ctx.db, userId);
  if (!user) throw new Error(`no user ${userId}`);
  const token = newSecret();
  const now = ctx.now();
  const expiresAt = new Date(now.getTime() + SESSION_DAYS * 86_400_000);
  await repo.insertSession(ctx.db, {
    id: ctx.newId(),
    user_id: user.id,
    token_hash: hashSecret(token),
    created_at: now,
    last_seen_at: now,
    expires_at: expiresAt,
    user_agent: client.userAgent?.slice(0, 300) ?? null,
  });
  return { me: toMe(user), token, expiresAt };
}

export async function signOut(ctx: AppContext, token: string | undefined): Promise<void> {
  if (token) await repo.deleteSessionByTokenHash(ctx.db, hashSecret(token));
}

export const unauthenticated = () =>
  new AppError('unauthenticated', 'Sign in first (or send an API token as Authorization: Bearer).');
