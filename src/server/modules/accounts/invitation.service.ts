/**
 * Sign-up is by invitation only: a hub facilitator (or admin) invites an email address into a
 * role; the emailed link carries a single-use secret (only its SHA-256 is stored) that expires
 * after 7 days. Accepting creates the account, or adds the role to an existing one whose owner is
 * signed in.
 */
import { passwordProblem } from '../../../core/accounts/password-policy.ts';
import {
  ensureAllowed,
  may,
  requireSignedIn,
  requireWriter,
  SYSTEM,
  type Viewer,
  visibilityScope,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { hashPassword, hashSecret, newSecret } from '../../platform/secrets.ts';
import {
  canSeeGrantScope,
  grantRole,
  mayManageScope,
  ROLE_LABELS,
  resolveScope,
} from '../structure/membership.service.ts';
import { createUser, normaliseEmail, openSession, type SignedIn } from './auth.service.ts';
import * as repo from './invitation.repository.ts';
import type {
  AcceptInvitationInput,
  CreateInvitationInput,
  InvitationPreviewResponse,
  InvitationResponse,
  ListInvitationsInput,
} from './invitation.schemas.ts';
import { findActiveUserByEmail } from './user.repository.ts';

export const INVITATION_DAYS = 7;
const WHAT = 'invitation';

function statusOf(row: repo.InvitationRow, now: Date): InvitationResponse['status'] {
  if (row.accepted_at) return 'accepted';
  if (row.revoked_at) return 'revoked';
  return row.expires_at <= now ? 'expired' : 'pending';
}

const scopeNameOf = (row: repo.InvitationWithNamesRow) =>
  row.team_name ?? row.network_name ?? 'the coalition';

function toInvitationResponse(row: repo.InvitationWithNamesRow, now: Date): InvitationResponse {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    network_id: row.network_id,
    team_id: row.team_id,
    scope_name: scopeNameOf(row),
    invited_by_name: row.invited_by_name,
    status: statusOf(row, now),
    created_at: row.created_at.toISOString(),
    expires_at: row.expires_at.toISOString(),
  };
}

const invitationScope = (row: repo.InvitationWithNamesRow) => ({
  networkId: row.network_id,
  teamId: row.team_id,
  teamNetworkId: row.team_id ? row.scope_network_id : null,
});

export async function createInvitation(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateInvitationInput,
): Promise<InvitationResponse> {
  const email = normaliseEmail(input.email);
  if (!/^[^@\s]+@[^@\s]+$/.test(email))
    throw validationFailed([{ path: '/body/email', message: 'is not an email address' }]);
  const token = newSecret();
  const invitation = await inTransaction(ctx, async (tx) => {
    requireSignedIn(viewer);
    const scope = await resolveScope(tx, viewer, input.role, input.network_id, input.team_id);
    ensureAllowed(viewer, mayManageScope(viewer, scope), `invite people into ${scope.name}`);
    const now = tx.now();
    const { id } = await repo.insertInvitation(tx.db, {
      id: tx.newId(),
      email,
      role: input.role,
      network_id: scope.networkId,
      team_id: scope.teamId,
      token_hash: hashSecret(token),
      invited_by: viewer.userId ?? null,
      created_at: now,
      expires_at: new Date(now.getTime() + INVITATION_DAYS * 86_400_000),
      accepted_at: null,
      accepted_by: null,
      revoked_at: null,
    });
    const row = await repo.findInvitation(tx.db, id);
    if (!row) throw notFound('Invitation', id);
    const after = toInvitationResponse(row, now);
    await recordAudit(tx, viewer, {
      action: 'create',
      entityType: WHAT,
      entityId: id,
      summary: `Invited ${email} as ${ROLE_LABELS[input.role]} of ${after.scope_name}`,
      after,
    });
    return after;
  });
  // After the commit: a failed send leaves a pending invitation that can be revoked and re-sent.
  const link = `${ctx.publicUrl}/accept-invitation#${token}`;
  await ctx.mail.send({
    to: email,
    subject: `You are invited to ${invitation.scope_name} on Tandem`,
    text: [
      `${invitation.invited_by_name ?? 'A facilitator'} invited you to join ${invitation.scope_name} as ${ROLE_LABELS[invitation.role]}.`,
      '',
      `Accept the invitation (the link works once, until ${invitation.expires_at.slice(0, 10)}):`,
      link,
      '',
      'If you did not expect this email, you can ignore it.',
    ].join('\n'),
  });
  return invitation;
}

export async function listInvitations(
  ctx: AppContext,
  viewer: Viewer,
  input: ListInvitationsInput,
): Promise<Page<InvitationResponse>> {
  requireSignedIn(viewer);
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const networkIds = may.manageCoalition(viewer) ? undefined : [...viewer.facilitatedNetworks];
  if (networkIds?.length === 0)
    throw new AppError('forbidden', 'Only hub facilitators and admins see invitations.');
  const rows = await repo.listOpenInvitations(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    networkId: input.network_id,
    teamId: input.team_id,
    ...(networkIds ? { networkIds } : {}),
  });
  const now = ctx.now();
  return toPage(
    rows,
    limit,
    (row) => [row.created_at.toISOString(), row.id],
    (row) => toInvitationResponse(row, now),
  );
}

export async function revokeInvitation(ctx: AppContext, viewer: Viewer, id: string) {
  await inTransaction(ctx, async (tx) => {
    requireSignedIn(viewer);
    const row = await repo.findInvitation(tx.db, id);
    // As visible as the invitation's team or network, and only to those who manage it.
    const visible = row !== undefined && canSeeGrantScope(viewer, row);
    const mayManage = visible && mayManageScope(viewer, invitationScope(row));
    if (!row || !mayManage) throw notFound('Invitation', id);
    ensureAllowed(viewer, mayManage, 'revoke this invitation');
    await repo.lockInvitation(tx.db, id);
    if (row.accepted_at) throw new AppError('conflict', 'This invitation was already accepted.');
    if (row.revoked_at) return;
    const now = tx.now();
    await repo.markInvitation(tx.db, id, { revoked_at: now });
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: id,
      summary: `Revoked the invitation of ${row.email} to ${scopeNameOf(row)}`,
      before: toInvitationResponse(row, now),
      after: { ...toInvitationResponse(row, now), status: 'revoked' },
    });
  });
}

/** The invitation behind a link, or a clear reason why it no longer works. */
async function usableInvitation(ctx: AppContext, token: string) {
  const row = await repo.findInvitationByTokenHash(ctx.db, hashSecret(token));
  if (!row || row.revoked_at)
    throw new AppError('not_found', 'This invitation link is not valid (or it was withdrawn).');
  if (row.accepted_at)
    throw new AppError('link_used', 'This invitation was already accepted. Sign in instead.');
  if (row.expires_at <= ctx.now())
    throw new AppError(
      'link_expired',
      `This invitation expired on ${row.expires_at.toISOString().slice(0, 10)}. Ask ${row.invited_by_name ?? 'your facilitator'} for a new one.`,
    );
  return row;
}

export async function previewInvitation(
  ctx: AppContext,
  token: string,
): Promise<InvitationPreviewResponse> {
  const row = await usableInvitation(ctx, token);
  return {
    email: row.email,
    role: row.role,
    scope_name: scopeNameOf(row),
    invited_by_name: row.invited_by_name,
    expires_at: row.expires_at.toISOString(),
    account_exists: (await findActiveUserByEmail(ctx.db, row.email)) !== undefined,
  };
}

/**
 * Accepts an invitation. New email: creates the account (name and password required) and signs
 * in. Existing account: the caller must be signed in as it; the role is added.
 */
export async function acceptInvitation(
  ctx: AppContext,
  viewer: Viewer,
  input: AcceptInvitationInput,
  client: { userAgent?: string | undefined },
): Promise<{ signedIn?: SignedIn; me: SignedIn['me'] }> {
  const preview = await usableInvitation(ctx, input.token);
  const existing = await findActiveUserByEmail(ctx.db, preview.email);
  let passwordHash: string | undefined;
  if (!existing) {
    const errors = [];
    if (!input.display_name?.trim())
      errors.push({ path: '/body/display_name', message: 'is required to create your account' });
    if (!input.password) errors.push({ path: '/body/password', message: 'is required' });
    else {
      const weak = passwordProblem(input.password, {
        email: preview.email,
        name: input.display_name ?? '',
      });
      if (weak) errors.push({ path: '/body/password', message: weak });
    }
    if (errors.length) throw validationFailed(errors);
    passwordHash = await hashPassword(input.password as string);
  } else if (viewer.userId === undefined) {
    throw new AppError(
      'unauthenticated',
      `${preview.email} already has an account: sign in as ${preview.email}, then open the link again.`,
    );
  } else if (viewer.userId !== existing.id) {
    // 403, not 401: the caller's own session is fine; this invitation is for someone else.
    throw new AppError(
      'forbidden',
      `This invitation is for ${preview.email}: sign out, then sign in as ${preview.email} to accept it.`,
    );
  } else {
    // Adding a role to the caller's own account is a write: a read-only token may not.
    requireWriter(viewer);
  }
  return inTransaction(ctx, async (tx) => {
    const locked = await repo.lockInvitation(tx.db, preview.id);
    if (!locked || locked.accepted_at || locked.revoked_at) await usableInvitation(tx, input.token);
    const me = existing
      ? { id: existing.id, display_name: existing.display_name }
      : await createUser(
          tx,
          {
            email: preview.email,
            display_name: input.display_name ?? '',
            password: input.password ?? '',
          },
          { viewer, passwordHash },
        );
    const actor = { userId: me.id, requestId: viewer.requestId };
    // The invitee may not see the scope yet: the invitation itself is the permission.
    const scope = await resolveScope(tx, SYSTEM, preview.role, preview.network_id, preview.team_id);
    await grantRole(tx, actor, me, preview.role, scope);
    const now = tx.now();
    await repo.markInvitation(tx.db, preview.id, { accepted_at: now, accepted_by: me.id });
    await recordAudit(tx, actor, {
      action: 'update',
      entityType: WHAT,
      entityId: preview.id,
      summary: `${me.display_name} accepted the invitation to ${scopeNameOf(preview)}`,
      before: toInvitationResponse(preview, now),
      after: { ...toInvitationResponse(preview, now), status: 'accepted' },
    });
    if (existing) return { me: viewer.actor?.user ?? { ...existing, is_admin: false } };
    const signedIn = await openSession(tx, me.id, client);
    return { signedIn, me: signedIn.me };
  });
}
