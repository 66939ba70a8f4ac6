import { passwordProblem } from '../../../core/accounts/password-policy.ts';
import { ensureAllowed, requireSignedIn, type Viewer } from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { requireIfMatch, staleWrite } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { hashPassword, verifyPassword } from '../../platform/secrets.ts';
import * as repo from './user.repository.ts';
import type {
  ChangePasswordInput,
  ListUsersInput,
  UpdateUserInput,
  UserResponse,
} from './user.schemas.ts';

const WHAT = 'user';
/** What a deleted account is shown as: its content and audit events stay attributed to it. */
export const DELETED_USER_NAME = 'Deleted user';

export function toUserResponse(row: repo.UserRow): UserResponse {
  return {
    id: row.id,
    email: row.email,
    display_name: row.display_name,
    is_admin: row.is_admin,
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

export async function listUsers(
  ctx: AppContext,
  viewer: Viewer,
  input: ListUsersInput,
): Promise<Page<UserResponse>> {
  requireSignedIn(viewer);
  if (!viewer.isAdmin) throw new AppError('forbidden', 'Only instance admins can list accounts.');
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listUsers(ctx.db, { limit, after, q: input.q?.trim() || undefined });
  return toPage(rows, limit, (row) => [row.display_name.toLowerCase(), row.id], toUserResponse);
}

/** Admins see every active account; everyone else only their own (others are 404). */
async function findVisibleUser(ctx: AppContext, viewer: Viewer, id: string, forUpdate = false) {
  requireSignedIn(viewer);
  const row = forUpdate
    ? await repo.findUserForUpdate(ctx.db, id)
    : await repo.findUser(ctx.db, id);
  if (!row || row.deleted_at || (!viewer.isAdmin && viewer.userId !== id))
    throw notFound('User', id);
  return row;
}

export async function getUser(ctx: AppContext, viewer: Viewer, id: string) {
  return toUserResponse(await findVisibleUser(ctx, viewer, id));
}

async function ensureAnotherAdminRemains(ctx: AppContext, current: repo.UserRow, what: string) {
  if (current.is_admin && (await repo.countActiveAdmins(ctx.db)) <= 1) {
    throw new AppError(
      'conflict',
      `${current.display_name} is the last instance admin; make someone else admin before you ${what}.`,
    );
  }
}

/** Admins change anyone's name and admin flag; people change their own name. */
export async function updateUser(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  input: UpdateUserInput,
): Promise<UserResponse> {
  return inTransaction(ctx, async (tx) => {
    const current = await findVisibleUser(tx, viewer, id, true);
    ensureAllowed(
      viewer,
      viewer.isAdmin || input.is_admin === undefined,
      'grant or remove instance admin rights',
    );
    const expected = requireIfMatch(ifMatch, WHAT);
    if (current.version !== expected) throw staleWrite(WHAT, current.version);
    if (input.is_admin === false)
      await ensureAnotherAdminRemains(tx, current, 'remove their rights');
    const row = await repo.updateUser(tx.db, id, {
      ...(input.display_name !== undefined ? { display_name: input.display_name.trim() } : {}),
      ...(input.is_admin !== undefined ? { is_admin: input.is_admin } : {}),
      updated_at: tx.now(),
    });
    const after = toUserResponse(row);
    const adminChange =
      input.is_admin !== undefined && input.is_admin !== current.is_admin
        ? input.is_admin
          ? ' and made them instance admin'
          : ' and removed their instance admin rights'
        : '';
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: id,
      summary: `Changed the account of ${after.display_name}${adminChange}`,
      before: toUserResponse(current),
      after,
    });
    return after;
  });
}

/**
 * Deletes an account but keeps its row as a placeholder ("Deleted user") so that what the person
 * wrote and the audit events they caused stay attributed: email and name are scrubbed, the
 * password removed, sessions, tokens and memberships deleted.
 */
export async function deleteUser(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const current = await findVisibleUser(tx, viewer, id, true);
    ensureAllowed(viewer, viewer.isAdmin, 'delete accounts');
    const expected = requireIfMatch(ifMatch, WHAT);
    if (current.version !== expected) throw staleWrite(WHAT, current.version);
    await ensureAnotherAdminRemains(tx, current, 'delete the account');
    await repo.revokeCredentials(tx.db, id);
    await repo.deleteMembershipsOf(tx.db, id);
    await repo.updateUser(tx.db, id, {
      email: `deleted-${id}@deleted.invalid`,
      display_name: DELETED_USER_NAME,
      password_hash: null,
      is_admin: false,
      deleted_at: tx.now(),
      updated_at: tx.now(),
    });
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary: `Deleted the account of ${current.display_name}`,
      before: toUserResponse(current),
    });
  });
}

/** Changes the caller's password after checking the current one; signs out their other sessions. */
export async function changePassword(
  ctx: AppContext,
  viewer: Viewer,
  input: ChangePasswordInput,
): Promise<void> {
  requireSignedIn(viewer);
  if (viewer.actor?.via !== 'session') {
    throw new AppError(
      'forbidden',
      'Change your password from the web app, not with an API token.',
    );
  }
  const userId = viewer.actor.user.id;
  const user = await repo.findUser(ctx.db, userId);
  if (!user?.password_hash || !(await verifyPassword(input.current_password, user.password_hash))) {
    throw validationFailed([{ path: '/body/current_password', message: 'is not your password' }]);
  }
  const weak = passwordProblem(input.new_password, {
    email: user.email,
    name: user.display_name,
  });
  if (weak) throw validationFailed([{ path: '/body/new_password', message: weak }]);
  const hash = await hashPassword(input.new_password);
  await inTransaction(ctx, async (tx) => {
    await repo.updateUser(tx.db, userId, { password_hash: hash, updated_at: tx.now() });
    await repo.revokeCredentials(tx.db, userId, viewer.actor?.sessionId);
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: userId,
      summary: `${user.display_name} changed their password (other sessions signed out)`,
    });
  });
}
