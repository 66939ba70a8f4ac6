/**
 * Password reset by emailed link. The answer to a request never says whether the email has an
 * account (OWASP Forgot Password cheat sheet); the link's secret is stored hashed, works once,
 * for one hour; a successful reset signs the account out everywhere.
 */
import { passwordProblem } from '../../../core/accounts/password-policy.ts';
import { recordAudit } from '../../platform/audit.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, validationFailed } from '../../platform/errors.ts';
import { AttemptLimiter } from '../../platform/rate-limit.ts';
import { hashPassword, hashSecret, newSecret } from '../../platform/secrets.ts';
import { normaliseEmail } from './auth.service.ts';
import * as resets from './invitation.repository.ts';
import * as users from './user.repository.ts';

export const RESET_MINUTES = 60;
const HOUR = 3_600_000;
/** Per email 3 requests an hour (no mailbox flooding); per client address 20. */
const limiters = new WeakMap<AppContext, { byEmail: AttemptLimiter; byAddress: AttemptLimiter }>();
function limitersFor(ctx: AppContext) {
  let pair = limiters.get(ctx);
  if (!pair) {
    pair = { byEmail: new AttemptLimiter(3, HOUR), byAddress: new AttemptLimiter(20, HOUR) };
    limiters.set(ctx, pair);
  }
  return pair;
}

export async function requestPasswordReset(
  ctx: AppContext,
  rawEmail: string,
  client: { address: string; log?: (error: unknown) => void },
): Promise<void> {
  const email = normaliseEmail(rawEmail);
  const { byEmail, byAddress } = limitersFor(ctx);
  byAddress.check(client.address, 'password reset');
  byEmail.check(email, 'password reset');
  byAddress.fail(client.address);
  byEmail.fail(email);
  const user = await users.findActiveUserByEmail(ctx.db, email);
  if (!user) return;
  const token = newSecret();
  const now = ctx.now();
  await resets.insertPasswordReset(ctx.db, {
    id: ctx.newId(),
    user_id: user.id,
    token_hash: hashSecret(token),
    created_at: now,
    expires_at: new Date(now.getTime() + RESET_MINUTES * 60_000),
    used_at: null,
  });
  // Not awaited: the answer must take as long with or without an account.
  ctx.mail
    .send({
      to: email,
      subject: 'Reset your Tandem password',
      text: [
        `Someone (hopefully you) asked to reset the password of ${email} on Tandem.`,
        '',
        `Choose a new password here (the link works once, for ${RESET_MINUTES} minutes):`,
        `${ctx.publicUrl}/reset-password#${token}`,
        '',
        'If you did not ask, ignore this email: your password stays as it is.',
      ].join('\n'),
    })
    .catch((error: unknown) => client.log?.(error));
}

/** The reset behind a link and its account, or a clear reason why the link no longer works. */
async function usableReset(ctx: AppContext, token: string) {
  const reset = await resets.lockPasswordResetByTokenHash(ctx.db, hashSecret(token));
  if (!reset) {
    throw new AppError(
      'not_found',
      'This reset link is not valid. Ask for a new one from the sign-in page.',
    );
  }
  if (reset.used_at)
    throw new AppError('link_used', 'This reset link was already used. Ask for a new one.');
  if (reset.expires_at <= ctx.now())
    throw new AppError('link_expired', 'This reset link has expired. Ask for a new one.');
  const user = await users.findUser(ctx.db, reset.user_id);
  if (!user || user.deleted_at) throw new AppError('not_found', 'This account no longer exists.');
  return { reset, user };
}

export async function confirmPasswordReset(
  ctx: AppContext,
  input: { token: string; password: string },
): Promise<void> {
  // Check and hash before the transaction: scrypt takes a quarter second, and PGlite runs one
  // transaction at a time. The transaction checks the link again under a row lock.
  const { user } = await usableReset(ctx, input.token);
  const weak = passwordProblem(input.password, { email: user.email, name: user.display_name });
  if (weak) throw validationFailed([{ path: '/body/password', message: weak }]);
  const passwordHash = await hashPassword(input.password);
  await inTransaction(ctx, async (tx) => {
    const { reset } = await usableReset(tx, input.token);
    await users.updateUser(tx.db, user.id, { password_hash: passwordHash, updated_at: tx.now() });
    await resets.markPasswordResetUsed(tx.db, reset.id, tx.now());
    await users.revokeCredentials(tx.db, user.id);
    await recordAudit(
      tx,
      { userId: user.id },
      {
        action: 'update',
        entityType: 'user',
        entityId: user.id,
        summary: `${user.display_name} reset their password by email link (signed out everywhere)`,
      },
    );
  });
}
