import {
  canSee,
  ensureAllowed,
  may,
  type Role,
  requireSignedIn,
  type Visibility,
  SYSTEM,
  type Viewer,
  visibilityScope,
} from '../../platform/access.ts';
import { recordAudit } from '../../platform/audit.ts';
import { ensureCurrentVersion } from '../../platform/concurrency.ts';
import { type AppContext, inTransaction } from '../../platform/context.ts';
import { isUniqueViolation } from '../../platform/db-errors.ts';
import { AppError, notFound, validationFailed } from '../../platform/errors.ts';
import { type Page, pageRequest, toPage } from '../../platform/pagination.ts';
import { normaliseEmail } from '../accounts/auth.service.ts';
import { findActiveUserByEmail } from '../accounts/user.repository.ts';
import { getCoalition } from '../coalition/coalition.service.ts';
import { findVisibleNetwork } from './network.service.ts';
import type {
  CreateMembershipInput,
  ListMembershipsInput,
  MembershipResponse,
} from './structure.schemas.ts';
import * as repo from './structure.repository.ts';
import { findVisibleTeam } from './team.service.ts';

const WHAT = 'membership';
const COALITION_ROLES: Role[] = ['hub_facilitator', 'reviewer', 'partner'];

export const ROLE_LABELS: Record<Role, string> = {
  hub_facilitator: 'hub facilitator',
  team_member: 'team member',
  reviewer: 'reviewer',
  partner: 'partner / funder / policy',
};

export interface MembershipScope {
  networkId: string | null;
  teamId: string | null;
  /** For teams: the team's network (who may manage the membership). */
  teamNetworkId: string | null;
}

/** Who may grant, change or remove a role in this scope. */
export function mayManageScope(viewer: Viewer, scope: MembershipScope): boolean {
  if (scope.teamId && scope.teamNetworkId) return may.manageNetwork(viewer, scope.teamNetworkId);
  if (scope.networkId) return may.manageNetwork(viewer, scope.networkId);
  return may.manageCoalition(viewer);
}

const scopeOfRow = (row: repo.MembershipWithNamesRow): MembershipScope => ({
  networkId: row.network_id,
  teamId: row.team_id,
  teamNetworkId: row.team_id ? row.scope_network_id : null,
});

/** The columns that say where a role grant (membership or invitation) applies. */
export interface GrantScopeRow {
  network_id: string | null;
  team_id: string | null;
  scope_network_id: string | null;
  team_visibility: Visibility | null;
  team_created_by: string | null;
  network_visibility: Visibility | null;
  network_created_by: string | null;
}

/** A grant is as visible as its team or network; coalition-wide ones to everyone signed in. */
export function canSeeGrantScope(viewer: Viewer, row: GrantScopeRow): boolean {
  if (!viewer.userId && !viewer.system) return false;
  if (row.team_id && row.team_visibility) {
    return canSee(viewer, {
      visibility: row.team_visibility,
      networkId: row.scope_network_id,
      teamId: row.team_id,
      authorId: row.team_created_by,
    });
  }
  if (row.network_id && row.network_visibility) {
    return canSee(viewer, {
      visibility: row.network_visibility,
      networkId: row.network_id,
      teamId: null,
      authorId: row.network_created_by,
    });
  }
  return true;
}

function toMembershipResponse(
  viewer: Viewer,
  row: repo.MembershipWithNamesRow,
  coalitionName: string,
): MembershipResponse {
  const showEmail = row.user_id === viewer.userId || mayManageScope(viewer, scopeOfRow(row));
  return {
    id: row.id,
    role: row.role,
    scope: row.team_id ? 'team' : row.network_id ? 'network' : 'coalition',
    network_id: row.network_id,
    team_id: row.team_id,
    scope_name: row.team_name ?? (row.network_id ? (row.network_name ?? '') : coalitionName),
    user: { id: row.user_id, display_name: row.display_name, email: showEmail ? row.email : null },
    created_at: row.created_at.toISOString(),
    updated_at: row.updated_at.toISOString(),
    version: row.version,
  };
}

const coalitionName = (ctx: AppContext) =>
  getCoalition(ctx).then(
    (coalition) => coalition.name,
    () => 'the coalition',
  );

export async function listMemberships(
  ctx: AppContext,
  viewer: Viewer,
  input: ListMembershipsInput,
): Promise<Page<MembershipResponse>> {
  requireSignedIn(viewer);
  const { limit, after } = pageRequest<[string, string]>(input, 2);
  const rows = await repo.listMemberships(ctx.db, visibilityScope(viewer), {
    limit,
    after,
    scope: input.scope,
    networkId: input.network_id,
    teamId: input.team_id,
    userId: input.user_id,
  });
  const name = await coalitionName(ctx);
  return toPage(
    rows,
    limit,
    (row) => [row.display_name.toLowerCase(), row.id],
    (row) => toMembershipResponse(viewer, row, name),
  );
}

async function findVisibleMembership(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await repo.findMembership(ctx.db, id);
  if (!row || !canSeeGrantScope(viewer, row)) throw notFound('Membership', id);
  return row;
}

export async function getMembership(ctx: AppContext, viewer: Viewer, id: string) {
  const row = await findVisibleMembership(ctx, viewer, id);
  return toMembershipResponse(viewer, row, await coalitionName(ctx));
}

/** Checks that the role fits the scope given (field errors otherwise). */
export function checkRoleScope(
  role: Role,
  networkId: string | undefined | null,
  teamId: string | undefined | null,
): void {
  const errors = [];
  if (role === 'team_member') {
    if (!teamId) errors.push({ path: '/body/team_id', message: 'is required for a team member' });
    if (networkId)
      errors.push({
        path: '/body/network_id',
        message: 'must be left out for a team member (the team gives the network)',
      });
  } else if (teamId) {
    errors.push({ path: '/body/team_id', message: `does not apply to a ${ROLE_LABELS[role]}` });
  }
  if ((role === 'reviewer' || role === 'partner') && networkId)
    errors.push({
      path: '/body/network_id',
      message: `must be left out: a ${ROLE_LABELS[role]} is coalition-wide`,
    });
  if (errors.length) throw validationFailed(errors);
}

/** Resolves and checks a scope for granting `role` (404 for an unseen network or team). */
export async function resolveScope(
  ctx: AppContext,
  viewer: Viewer,
  role: Role,
  networkId: string | undefined | null,
  teamId: string | undefined | null,
): Promise<MembershipScope & { name: string }> {
  checkRoleScope(role, networkId, teamId);
  if (teamId) {
    const team = await findVisibleTeam(ctx, viewer, teamId);
    return { networkId: null, teamId, teamNetworkId: team.network_id, name: team.name };
  }
  if (networkId) {
    const network = await findVisibleNetwork(ctx, viewer, networkId);
    return { networkId, teamId: null, teamNetworkId: null, name: network.name };
  }
  return { networkId: null, teamId: null, teamNetworkId: null, name: await coalitionName(ctx) };
}

/** Grants a role to an existing user (the invitation flow calls this for new ones). */
export async function grantRole(
  ctx: AppContext,
  actor: Pick<Viewer, 'userId' | 'requestId'>,
  user: { id: string; display_name: string },
  role: Role,
  scope: MembershipScope & { name: string },
): Promise<string> {
  const now = ctx.now();
  try {
    const { id } = await repo.insertMembership(ctx.db, {
      id: ctx.newId(),
      user_id: user.id,
      role,
      network_id: scope.networkId,
      team_id: scope.teamId,
      created_at: now,
      updated_at: now,
    });
    const after = await repo.findMembership(ctx.db, id);
    await recordAudit(ctx, actor, {
      action: 'create',
      entityType: WHAT,
      entityId: id,
      summary: `Made ${user.display_name} ${ROLE_LABELS[role]} of ${scope.name}`,
      after: after && toMembershipResponse(SYSTEM, after, scope.name),
    });
    return id;
  } catch (error) {
    if (isUniqueViolation(error, 'membership_key')) {
      throw new AppError(
        'conflict',
        `${user.display_name} already is ${ROLE_LABELS[role]} of ${scope.name}.`,
      );
    }
    throw error;
  }
}

export async function createMembership(
  ctx: AppContext,
  viewer: Viewer,
  input: CreateMembershipInput,
): Promise<MembershipResponse> {
  return inTransaction(ctx, async (tx) => {
    requireSignedIn(viewer);
    const scope = await resolveScope(tx, viewer, input.role, input.network_id, input.team_id);
    ensureAllowed(viewer, mayManageScope(viewer, scope), `grant roles in ${scope.name}`);
    const user = await findActiveUserByEmail(tx.db, normaliseEmail(input.email));
    if (!user) {
      throw new AppError(
        'validation_failed',
        `No account uses ${input.email}; send an invitation instead.`,
        [{ path: '/body/email', message: 'has no account: invite this person' }],
      );
    }
    const id = await grantRole(tx, viewer, user, input.role, scope);
    return getMembership(tx, viewer, id);
  });
}

export async function updateMembershipRole(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
  role: Role,
): Promise<MembershipResponse> {
  return inTransaction(ctx, async (tx) => {
    const before = await findVisibleMembership(tx, viewer, id);
    ensureAllowed(viewer, mayManageScope(viewer, scopeOfRow(before)), 'change this role');
    const current = ensureCurrentVersion(
      await repo.findMembershipForUpdate(tx.db, id),
      ifMatch,
      WHAT,
      id,
    );
    if (current.network_id || current.team_id || !COALITION_ROLES.includes(role)) {
      throw validationFailed([
        {
          path: '/body/role',
          message:
            'only coalition-wide roles (hub_facilitator, reviewer, partner) can be changed in place; remove this membership and add another',
        },
      ]);
    }
    await repo.updateMembership(tx.db, id, { role, updated_at: tx.now() });
    const name = await coalitionName(tx);
    const after = toMembershipResponse(viewer, await findVisibleMembership(tx, viewer, id), name);
    await recordAudit(tx, viewer, {
      action: 'update',
      entityType: WHAT,
      entityId: id,
      summary: `Changed ${before.display_name}'s role from ${ROLE_LABELS[before.role]} to ${ROLE_LABELS[role]}`,
      before: toMembershipResponse(viewer, before, name),
      after,
    });
    return after;
  });
}

export async function deleteMembership(
  ctx: AppContext,
  viewer: Viewer,
  id: string,
  ifMatch: string | undefined,
): Promise<void> {
  await inTransaction(ctx, async (tx) => {
    const before = await findVisibleMembership(tx, viewer, id);
    // Anyone may leave; removing someone else needs the right to manage the scope.
    const leaving = before.user_id === viewer.userId;
    ensureAllowed(
      viewer,
      leaving || mayManageScope(viewer, scopeOfRow(before)),
      'remove this membership',
    );
    ensureCurrentVersion(await repo.findMembershipForUpdate(tx.db, id), ifMatch, WHAT, id);
    await repo.deleteMembership(tx.db, id);
    const response = toMembershipResponse(viewer, before, await coalitionName(tx));
    await recordAudit(tx, viewer, {
      action: 'delete',
      entityType: WHAT,
      entityId: id,
      summary: `Removed ${before.display_name} as ${ROLE_LABELS[before.role]} of ${response.scope_name}`,
      before: response,
    });
  });
}
