/**
 * The one place that decides who sees and changes what (docs/ARCHITECTURE.md, rule 4).
 *
 * Visibility of a content record, from widest to narrowest:
 * - `public`: everyone, signed out included;
 * - `coalition`: every signed-in user;
 * - `network`: members of the record's network: its hub facilitators and the members of its
 *   teams;
 * - `team`: members of the record's team and the hub facilitators of the team's network;
 * - `private`: a draft only its author sees.
 * Instance admins see everything; coalition-wide hub facilitators see everything except other
 * people's private drafts. A record someone may not see is reported as not found (404), never as
 * forbidden, so that its existence does not leak.
 *
 * Checks are set-based: `visibilityScope()` describes what a viewer sees as a few id sets that a
 * repository turns into one SQL condition (db/visibility.ts), so a list is filtered in the query,
 * not row by row.
 */
import type { FastifyRequest } from 'fastify';
import type { Role, Visibility } from '../db/database.ts';
import { type Actor, authenticate } from '../modules/accounts/credentials.service.ts';
import { unauthenticated } from '../modules/accounts/auth.service.ts';
import { listMembershipGrants } from './access.repository.ts';
import type { AppContext } from './context.ts';
import { AppError, notFound } from './errors.ts';

export const VISIBILITIES = ['public', 'coalition', 'network', 'team', 'private'] as const;
export const ROLES = ['hub_facilitator', 'team_member', 'reviewer', 'partner'] as const;
export type { Role, Visibility };

/** The caller and everything the access rules need to know about them, loaded once per request. */
export interface Viewer {
  actor: Actor | undefined;
  /** The server itself (the demo seed, the CLI): an admin that needs no session. */
  system?: boolean;
  /** The request this viewer made, recorded with its audit events. */
  requestId?: string | undefined;
  userId: string | undefined;
  isAdmin: boolean;
  /** Roles held coalition-wide (hub_facilitator without a network, reviewer, partner). */
  coalitionRoles: ReadonlySet<Role>;
  /** Networks where the viewer is a hub facilitator. */
  facilitatedNetworks: ReadonlySet<string>;
  /** Networks the viewer belongs to: facilitated ones and those of their teams. */
  memberNetworks: ReadonlySet<string>;
  teams: ReadonlySet<string>;
}

export const ANONYMOUS: Viewer = {
  actor: undefined,
  userId: undefined,
  isAdmin: false,
  coalitionRoles: new Set(),
  facilitatedNetworks: new Set(),
  memberNetworks: new Set(),
  teams: new Set(),
};

/** The server acting on its own behalf (seed, CLI); audit events show no person. */
export const SYSTEM: Viewer = { ...ANONYMOUS, isAdmin: true, system: true };

/** What a viewer sees, as plain data for a repository's WHERE clause (db/visibility.ts). */
export interface VisibilityScope {
  /** Sees every record whatever its visibility (private drafts of others included when admin). */
  everything: boolean;
  /** Sees every non-private record (coalition-wide facilitator). */
  allButPrivate: boolean;
  signedIn: boolean;
  userId: string | undefined;
  networkIds: string[];
  /** Team-visible records of these networks (the viewer facilitates them). */
  teamNetworkIds: string[];
  teamIds: string[];
}

/** The visibility-relevant columns of one record. */
export interface Scoped {
  visibility: Visibility;
  networkId: string | null;
  teamId: string | null;
  authorId: string | null;
}

const viewerCache = new WeakMap<FastifyRequest, Promise<Viewer>>();

/** The caller of this request with their grants; memoised per request. */
export function viewerOf(ctx: AppContext, request: FastifyRequest): Promise<Viewer> {
  let viewer = viewerCache.get(request);
  if (!viewer) {
    viewer = authenticate(ctx, request)
      .then((actor) => loadViewer(ctx, actor))
      .then((loaded) => ({ ...loaded, requestId: request.id }));
    viewerCache.set(request, viewer);
  }
  return viewer;
}

export async function loadViewer(ctx: AppContext, actor: Actor | undefined): Promise<Viewer> {
  if (!actor) return ANONYMOUS;
  const grants = await listMembershipGrants(ctx.db, actor.user.id);
  const coalitionRoles = new Set<Role>();
  const facilitatedNetworks = new Set<string>();
  const memberNetworks = new Set<string>();
  const teams = new Set<string>();
  for (const grant of grants) {
    if (grant.team_id) {
      teams.add(grant.team_id);
      if (grant.team_network_id) memberNetworks.add(grant.team_network_id);
    } else if (grant.network_id) {
      facilitatedNetworks.add(grant.network_id);
      memberNetworks.add(grant.network_id);
    } else {
      coalitionRoles.add(grant.role);
    }
  }
  return {
    actor,
    userId: actor.user.id,
    isAdmin: actor.user.is_admin,
    coalitionRoles,
    facilitatedNetworks,
    memberNetworks,
    teams,
  };
}

const facilitatesCoalition = (viewer: Viewer) =>
  viewer.isAdmin || viewer.coalitionRoles.has('hub_facilitator');

export function visibilityScope(viewer: Viewer): VisibilityScope {
  return {
    everything: viewer.isAdmin,
    allButPrivate: facilitatesCoalition(viewer),
    signedIn: viewer.userId !== undefined,
    userId: viewer.userId,
    networkIds: [...viewer.memberNetworks],
    teamNetworkIds: [...viewer.facilitatedNetworks],
    teamIds: [...viewer.teams],
  };
}

/** The in-memory twin of db/visibility.ts, for one record already loaded. */
export function canSee(viewer: Viewer, record: Scoped): boolean {
  if (viewer.isAdmin) return true;
  if (record.visibility === 'private') return record.authorId === viewer.userId;
  if (record.visibility === 'public') return true;
  if (viewer.userId === undefined) return false;
  if (record.visibility === 'coalition' || facilitatesCoalition(viewer)) return true;
  if (record.visibility === 'network')
    return record.networkId !== null && viewer.memberNetworks.has(record.networkId);
  // team
  return (
    (record.teamId !== null && viewer.teams.has(record.teamId)) ||
    (record.networkId !== null && viewer.facilitatedNetworks.has(record.networkId))
  );
}

/** Throws 404 when the viewer may not see the record (existence must not leak). */
export function ensureVisible(viewer: Viewer, record: Scoped, what: string, id: string): void {
  if (!canSee(viewer, record)) throw notFound(what, id);
}

/** A signed-in caller allowed to write (a session, or a read_write token). */
export function requireWriter(viewer: Viewer): void {
  if (viewer.system) return;
  if (!viewer.actor) throw unauthenticated();
  if (viewer.actor.scope !== 'read_write') {
    throw new AppError(
      'forbidden',
      'This API token may only read; create a read_write token to make changes.',
    );
  }
}

export function requireSignedIn(viewer: Viewer): void {
  if (!viewer.actor && !viewer.system) throw unauthenticated();
}

/** Actions beyond "see", by scope. Every write goes through one of these. */
export const may = {
  /** Users, instance settings, the admin audit log. */
  administer: (viewer: Viewer) => viewer.isAdmin,
  /** Coalition settings, networks, the directory, coalition-wide roles. */
  manageCoalition: facilitatesCoalition,
  /** A network's settings, its teams and their memberships. */
  manageNetwork: (viewer: Viewer, networkId: string) =>
    facilitatesCoalition(viewer) || viewer.facilitatedNetworks.has(networkId),
  /** Add shared work to a network (its change ideas): its members and facilitators. */
  contributeToNetwork: (viewer: Viewer, networkId: string) =>
    facilitatesCoalition(viewer) || viewer.memberNetworks.has(networkId),
  /** Edit a team's own work (projects, cycles, data). */
  workInTeam: (viewer: Viewer, team: { id: string; networkId: string }) =>
    facilitatesCoalition(viewer) ||
    viewer.facilitatedNetworks.has(team.networkId) ||
    viewer.teams.has(team.id),
};

/** Throws 403 unless `allowed`; call after the record was found visible. */
export function ensureAllowed(viewer: Viewer, allowed: boolean, action: string): void {
  requireWriter(viewer);
  if (!allowed) throw new AppError('forbidden', `Your roles do not allow you to ${action}.`);
}
