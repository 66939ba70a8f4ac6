import type { BodyOf, ResponseOf } from '../../api/client.ts';

export type Network = ResponseOf<'get', '/api/v1/networks/{id}'>;
export type NetworkVisibility = Network['visibility'];
export type CreateNetworkBody = BodyOf<'post', '/api/v1/networks'>;
export type UpdateNetworkBody = NonNullable<BodyOf<'patch', '/api/v1/networks/{id}'>>;

export type Team = ResponseOf<'get', '/api/v1/teams/{id}'>;
export type TeamVisibility = Team['visibility'];
export type CreateTeamBody = BodyOf<'post', '/api/v1/teams'>;
export type UpdateTeamBody = NonNullable<BodyOf<'patch', '/api/v1/teams/{id}'>>;

export type Membership = ResponseOf<'get', '/api/v1/memberships/{id}'>;
export type Role = Membership['role'];
export type CreateMembershipBody = BodyOf<'post', '/api/v1/memberships'>;

export type Invitation = ResponseOf<'post', '/api/v1/invitations'>;
export type CreateInvitationBody = BodyOf<'post', '/api/v1/invitations'>;

/** The ETag the API issues for a record at `version` (`"<version>"`), to send as If-Match. */
export const etagOf = (version: number): string => `"${version}"`;

/** What each role is called on screen; a new role in the API fails the typecheck here. */
export const ROLE_LABELS: Record<Role, string> = {
  hub_facilitator: 'Hub facilitator',
  team_member: 'Team member',
  reviewer: 'Practice reviewer',
  partner: 'Partner, funder or policy maker',
};

/** The role as it reads in a table row: "Hub facilitator of Early Literacy NIC". */
export function roleInScope(membership: Pick<Membership, 'role' | 'scope'>): string {
  if (membership.role === 'hub_facilitator' && membership.scope === 'network')
    return 'Network facilitator';
  if (membership.role === 'hub_facilitator' && membership.scope === 'coalition')
    return 'Hub facilitator (whole coalition)';
  return ROLE_LABELS[membership.role];
}

/** The role in a sentence, after "as" or "is now": "a team member of Oak Hill team". */
export function asRole(
  membership: Pick<Membership, 'role' | 'scope' | 'scope_name'> | Pick<Invitation, 'role'>,
): string {
  const where = 'scope_name' in membership ? membership.scope_name : undefined;
  switch (membership.role) {
    case 'team_member':
      return where ? `a member of ${where}` : 'a team member';
    case 'hub_facilitator':
      return 'scope' in membership && membership.scope === 'network'
        ? `a facilitator of ${where}`
        : 'a hub facilitator for the whole coalition';
    case 'reviewer':
      return 'a practice reviewer';
    case 'partner':
      return 'a partner, funder or policy maker';
  }
}

/** The roles held coalition-wide, with what each may do. */
export const COALITION_ROLES = ['hub_facilitator', 'reviewer', 'partner'] as const;
export type CoalitionRole = (typeof COALITION_ROLES)[number];

export const COALITION_ROLE_HINTS: Record<CoalitionRole, string> = {
  hub_facilitator:
    'Runs the hub: sees every network and team, creates networks, adds teams and manages everyone’s roles.',
  reviewer: 'Reviews practices submitted to the practice library.',
  partner:
    'Funders, partners and policy makers: sees what the coalition shares with signed-in members; changes nothing.',
};

export const COALITION_ROLE_OPTIONS = COALITION_ROLES.map((value) => ({
  value,
  label: value === 'hub_facilitator' ? 'Hub facilitator (whole coalition)' : ROLE_LABELS[value],
  hint: COALITION_ROLE_HINTS[value],
}));

export function isCoalitionRole(value: string): value is CoalitionRole {
  return (COALITION_ROLES as readonly string[]).includes(value);
}

/** Who sees a network at each level, in plain words (shown next to the choice). */
export const NETWORK_VISIBILITY_OPTIONS: readonly {
  value: NetworkVisibility;
  label: string;
  hint: string;
}[] = [
  {
    value: 'public',
    label: 'Public',
    hint: 'Anyone, including people who are not signed in (for example on a public website).',
  },
  {
    value: 'coalition',
    label: 'Coalition',
    hint: 'Everyone with an account in this coalition.',
  },
  {
    value: 'network',
    label: 'Network only',
    hint: 'The network’s facilitators and the members of its teams.',
  },
  {
    value: 'private',
    label: 'Private draft',
    hint: 'Only you and instance admins, while you set it up. Widen it when it is ready.',
  },
];

/** Who sees a team at each level, in plain words. */
export const TEAM_VISIBILITY_OPTIONS: readonly {
  value: TeamVisibility;
  label: string;
  hint: string;
}[] = [
  { value: 'public', label: 'Public', hint: 'Anyone, including people who are not signed in.' },
  { value: 'coalition', label: 'Coalition', hint: 'Everyone with an account in this coalition.' },
  {
    value: 'network',
    label: 'Network',
    hint: 'The network’s facilitators and the members of all its teams. Most teams use this.',
  },
  {
    value: 'team',
    label: 'Team only',
    hint: 'This team’s members and the network’s facilitators; other teams do not see it.',
  },
  {
    value: 'private',
    label: 'Private draft',
    hint: 'Only you and instance admins, while you set it up.',
  },
];

export function isNetworkVisibility(value: string): value is NetworkVisibility {
  return NETWORK_VISIBILITY_OPTIONS.some((o) => o.value === value);
}

export function isTeamVisibility(value: string): value is TeamVisibility {
  return TEAM_VISIBILITY_OPTIONS.some((o) => o.value === value);
}

export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 5000;

/** The values of the network form, as typed. */
export interface NetworkFormValues {
  name: string;
  description: string;
  visibility: NetworkVisibility;
}

export function networkFormValuesOf(network?: Network): NetworkFormValues {
  return {
    name: network?.name ?? '',
    description: network?.description ?? '',
    visibility: network?.visibility ?? 'coalition',
  };
}

export function validateNetworkForm(values: NetworkFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Enter the network’s name.';
  else if (values.name.trim().length > NAME_MAX)
    errors.name = `Use at most ${NAME_MAX} characters.`;
  if (values.description.length > DESCRIPTION_MAX)
    errors.description = `Use at most ${DESCRIPTION_MAX} characters.`;
  return errors;
}

/** The fields of a network that differ from `before` (PATCH sends only what changed). */
export function changedNetworkFields(
  before: NetworkFormValues,
  after: NetworkFormValues,
): UpdateNetworkBody {
  const body: UpdateNetworkBody = {};
  if (after.name.trim() !== before.name) body.name = after.name.trim();
  if (after.description !== before.description) body.description = after.description;
  if (after.visibility !== before.visibility) body.visibility = after.visibility;
  return body;
}

/** The values of the team form, as typed; the organisation is picked, with its name kept. */
export interface TeamFormValues {
  name: string;
  organisation: { id: string; name: string } | null;
  visibility: TeamVisibility;
}

export function teamFormValuesOf(team?: Team): TeamFormValues {
  return {
    name: team?.name ?? '',
    organisation:
      team?.organisation_id != null
        ? { id: team.organisation_id, name: team.organisation_name ?? 'Unnamed organisation' }
        : null,
    visibility: team?.visibility ?? 'network',
  };
}

export function validateTeamForm(values: TeamFormValues): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!values.name.trim()) errors.name = 'Enter the team’s name.';
  else if (values.name.trim().length > NAME_MAX)
    errors.name = `Use at most ${NAME_MAX} characters.`;
  return errors;
}

export function changedTeamFields(before: TeamFormValues, after: TeamFormValues): UpdateTeamBody {
  const body: UpdateTeamBody = {};
  if (after.name.trim() !== before.name) body.name = after.name.trim();
  if ((after.organisation?.id ?? null) !== (before.organisation?.id ?? null))
    body.organisation_id = after.organisation?.id ?? null;
  if (after.visibility !== before.visibility) body.visibility = after.visibility;
  return body;
}

/** A plausible email address: something@something, no spaces (the server checks again). */
export function validateEmail(email: string): string | undefined {
  const trimmed = email.trim();
  if (!trimmed) return 'Enter the person’s email address.';
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(trimmed))
    return 'Enter an email address like name@example.org.';
  return undefined;
}
