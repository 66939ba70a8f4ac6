/**
 * Invitations, password reset, account administration (deletion keeps a placeholder author),
 * demo sign-in, and the audit log with its CSV export and record histories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNetwork } from '../../src/server/modules/structure/network.service.ts';
import { createTeam } from '../../src/server/modules/structure/team.service.ts';
import { setDemoMode } from '../../src/server/modules/settings/settings.service.ts';
import { SYSTEM } from '../../src/server/platform/access.ts';
import type { MailMessage } from '../../src/server/platform/mail.ts';
import { createActor, type TestActor } from '../support/actors.ts';
import { createTestApp, type TestApp } from '../support/test-db.ts';

let t: TestApp;
let admin: TestActor;
let facilitator: TestActor;
let member: TestActor;
let networkId: string;
let teamId: string;
const STRONG = 'lantern meadow copper violin';

beforeAll(async () => {
  t = await createTestApp();
  const network = await createNetwork(t.ctx, SYSTEM, { name: 'Literacy NIC' });
  networkId = network.id;
  teamId = (await createTeam(t.ctx, SYSTEM, { network_id: networkId, name: 'Oak School team' })).id;
  admin = await createActor(t.ctx, { is_admin: true, name: 'Ada Admin' });
  facilitator = await createActor(t.ctx, {
    name: 'Nia Network',
    roles: [{ role: 'hub_facilitator', network_id: networkId }],
  });
  member = await createActor(t.ctx, {
    name: 'Tom Team',
    roles: [{ role: 'team_member', team_id: teamId }],
  });
});
afterAll(() => t.close());

const outbox = () => (t.ctx.mail as unknown as { sent: MailMessage[] }).sent;
const lastMailTo = (email: string) =>
  outbox()
    .filter((m) => m.to === email)
    .at(-1);
const linkSecret = (mail: MailMessage | undefined, path: string) =>
  new RegExp(`${path}#([A-Za-z0-9_-]+)`).exec(mail?.text ?? '')?.[1] ?? '';
const cookieOf = (setCookie: string | string[] | undefined) =>
  /tandem_session=([^;]*)/.exec(String(setCookie))?.[1] ?? '';

describe('invitations', () => {
  it('lets a network facilitator invite into a team; the link creates the account once', async () => {
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: member.headers,
      payload: { email: 'x@example.org', role: 'team_member', team_id: teamId },
    });
    expect(refused.statusCode).toBe(403);
    expect(outbox().filter((m) => m.to === 'x@example.org')).toHaveLength(0);

    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: facilitator.headers,
      payload: { email: 'New.Teacher@Example.org', role: 'team_member', team_id: teamId },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'new.teacher@example.org',
      status: 'pending',
      scope_name: 'Oak School team',
      invited_by_name: 'Nia Network',
    });
    const mail = lastMailTo('new.teacher@example.org');
    expect(mail?.subject).toMatch(/Oak School team/);
    const token = linkSecret(mail, '/accept-invitation');
    expect(token.length).toBeGreaterThan(20);
    const stored = await t.db
      .selectFrom('invitation')
      .selectAll()
      .where('id', '=', res.json().id)
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);

    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/preview',
      payload: { token: token },
    });
    expect(preview.json()).toMatchObject({ account_exists: false, role: 'team_member' });

    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, display_name: 'Nova', password: 'password1234' },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].path).toBe('/body/password');
    expect(
      await t.db
        .selectFrom('app_user')
        .select('id')
        .where('email', '=', 'new.teacher@example.org')
        .execute(),
    ).toHaveLength(0);

    const accepted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, display_name: 'Nova Teacher', password: STRONG },
    });
    expect(accepted.statusCode).toBe(200);
    const cookie = cookieOf(accepted.headers['set-cookie']);
    const me = await t.app.inject({
      url: '/api/v1/me',
      headers: { cookie: `tandem_session=${cookie}` },
    });
    expect(me.json()).toMatchObject({ email: 'new.teacher@example.org' });
    const team = await t.app.inject({
      url: `/api/v1/memberships?team_id=${teamId}`,
      headers: { cookie: `tandem_session=${cookie}` },
    });
    expect(
      team.json().items.map((m: { user: { display_name: string } }) => m.user.display_name),
    ).toContain('Nova Teacher');

    const reused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token, display_name: 'Nova Again', password: STRONG },
    });
    expect(reused.statusCode).toBe(410);
    expect(reused.json().code).toBe('link_used');
  });

  it('refuses an expired link with a clear reason, and a revoked one as unknown', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: admin.headers,
      payload: { email: 'late@example.org', role: 'partner' },
    });
    const token = linkSecret(lastMailTo('late@example.org'), '/accept-invitation');
    await t.db
      .updateTable('invitation')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .where('id', '=', res.json().id)
      .execute();
    const expired = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/preview',
      payload: { token: token },
    });
    expect(expired.statusCode).toBe(410);
    expect(expired.json()).toMatchObject({ code: 'link_expired' });

    const second = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: admin.headers,
      payload: { email: 'gone@example.org', role: 'reviewer' },
    });
    const revoke = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/invitations/${second.json().id}`,
      headers: admin.headers,
    });
    expect(revoke.statusCode).toBe(204);
    const revokedToken = linkSecret(lastMailTo('gone@example.org'), '/accept-invitation');
    const gone = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/preview',
      payload: { token: revokedToken },
    });
    expect(gone.statusCode).toBe(404);
    const events = await t.db
      .selectFrom('audit_event')
      .select(['action', 'summary'])
      .where('entity_id', '=', second.json().id)
      .orderBy('occurred_at')
      .execute();
    expect(events.map((e) => e.action)).toEqual(['create', 'update']);
  });

  it('adds the role to an existing account only when its owner is signed in', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations',
      headers: admin.headers,
      payload: { email: member.email, role: 'reviewer' },
    });
    const token = linkSecret(lastMailTo(member.email), '/accept-invitation');
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      payload: { token },
    });
    expect(anonymous.statusCode).toBe(401);
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/invitations/accept',
      headers: member.headers,
      payload: { token },
    });
    expect(ok.statusCode).toBe(200);
    const roles = await t.db
      .selectFrom('membership')
      .select('role')
      .where('user_id', '=', member.id)
      .execute();
    expect(roles.map((r) => r.role).sort()).toEqual(['reviewer', 'team_member']);
  });
});

describe('listing invitations', () => {
  it('filters by network (its teams included) and by team', async () => {
    const other = await createNetwork(t.ctx, SYSTEM, { name: 'Other network' });
    const invite = (payload: object) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/invitations',
        headers: admin.headers,
        payload,
      });
    const intoTeam = await invite({
      email: 'f1@example.org',
      role: 'team_member',
      team_id: teamId,
    });
    const intoNetwork = await invite({
      email: 'f2@example.org',
      role: 'hub_facilitator',
      network_id: networkId,
    });
    const elsewhere = await invite({
      email: 'f3@example.org',
      role: 'hub_facilitator',
      network_id: other.id,
    });
    const ids = async (query: string) =>
      (await t.app.inject({ url: `/api/v1/invitations?${query}`, headers: admin.headers }))
        .json()
        .items.map((i: { id: string }) => i.id);
    const inNetwork = await ids(`network_id=${networkId}`);
    expect(inNetwork).toEqual(expect.arrayContaining([intoTeam.json().id, intoNetwork.json().id]));
    expect(inNetwork).not.toContain(elsewhere.json().id);
    expect(await ids(`team_id=${teamId}`)).toContain(intoTeam.json().id);
    expect(await ids(`team_id=${teamId}`)).not.toContain(intoNetwork.json().id);
    // A network facilitator sees those of their network only.
    const mine = (await t.app.inject({ url: '/api/v1/invitations', headers: facilitator.headers }))
      .json()
      .items.map((i: { id: string }) => i.id);
    expect(mine).toContain(intoTeam.json().id);
    expect(mine).not.toContain(elsewhere.json().id);
  });
});

describe('password reset', () => {
  it('answers the same for known and unknown emails and mails only the known one', async () => {
    const before = outbox().length;
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: 'nobody@example.org' },
      remoteAddress: '10.0.0.1',
    });
    const known = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: member.email },
      remoteAddress: '10.0.0.2',
    });
    expect([unknown.statusCode, known.statusCode]).toEqual([202, 202]);
    expect(unknown.body).toBe(known.body);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(
      outbox()
        .slice(before)
        .map((m) => m.to),
    ).toEqual([member.email]);
  });

  it('sets the new password once, signs out everywhere, and refuses reuse', async () => {
    const victim = await createActor(t.ctx, { name: 'Rita Reset' });
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset',
      payload: { email: victim.email },
      remoteAddress: '10.0.0.3',
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const token = linkSecret(lastMailTo(victim.email), '/reset-password');
    const weak = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'short' },
    });
    expect(weak.json().errors[0].path).toBe('/body/password');
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: STRONG },
    });
    expect(ok.statusCode).toBe(204);
    const old = await t.app.inject({ url: '/api/v1/me', headers: victim.headers });
    expect(old.statusCode).toBe(401);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/sign-in',
      payload: { email: victim.email, password: STRONG },
    });
    expect(signIn.statusCode).toBe(200);
    const reused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password-reset/confirm',
      payload: { token, password: 'another long passphrase' },
    });
    expect(reused.json()).toMatchObject({ status: 410, code: 'link_used' });
  });

  it('limits requests per email with 429 and Retry-After', async () => {
    const email = 'flood@example.org';
    const codes = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/password-reset',
        payload: { email },
        remoteAddress: `10.1.0.${i}`,
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(codes).toEqual([202, 202, 202, 429]);
  });
});

describe('account administration', () => {
  it('deleting a user keeps their audit events, attributed to a placeholder', async () => {
    const leaver = await createActor(t.ctx, {
      name: 'Lee Leaving',
      roles: [{ role: 'hub_facilitator' }],
    });
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/networks',
      headers: leaver.headers,
      payload: { name: 'Leaver network' },
    });
    expect(created.statusCode).toBe(201);
    const read = await t.app.inject({ url: `/api/v1/users/${leaver.id}`, headers: admin.headers });
    const notAdmin = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${leaver.id}`,
      headers: { ...member.headers, 'if-match': read.headers.etag as string },
    });
    expect(notAdmin.statusCode).toBe(404);
    const deleted = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/users/${leaver.id}`,
      headers: { ...admin.headers, 'if-match': read.headers.etag as string },
    });
    expect(deleted.statusCode).toBe(204);

    const row = await t.db
      .selectFrom('app_user')
      .selectAll()
      .where('id', '=', leaver.id)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ display_name: 'Deleted user', password_hash: null });
    expect(row.deleted_at).not.toBeNull();
    expect(await t.app.inject({ url: '/api/v1/me', headers: leaver.headers })).toMatchObject({
      statusCode: 401,
    });
    const history = await t.app.inject({
      url: `/api/v1/history/network/${created.json().id}`,
      headers: admin.headers,
    });
    expect(history.json().items[0]).toMatchObject({
      action: 'create',
      actor: { id: leaver.id, display_name: 'Deleted user', deleted: true },
    });
    const network = await t.db
      .selectFrom('network')
      .select('created_by')
      .where('id', '=', created.json().id)
      .executeTakeFirstOrThrow();
    expect(network.created_by).toBe(leaver.id);
  });

  it('will not remove the last admin; admin rights changes need If-Match and are audited', async () => {
    const read = await t.app.inject({ url: `/api/v1/users/${admin.id}`, headers: admin.headers });
    const etag = read.headers.etag as string;
    const demote = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${admin.id}`,
      headers: { ...admin.headers, 'if-match': etag },
      payload: { is_admin: false },
    });
    expect(demote.statusCode).toBe(409);
    const promote = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${member.id}`,
      headers: { ...member.headers, 'if-match': '"1"' },
      payload: { is_admin: true },
    });
    expect(promote.statusCode).toBe(403);
    const rename = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${member.id}`,
      headers: { ...member.headers, 'if-match': '"1"' },
      payload: { display_name: 'Tomás Team' },
    });
    expect(rename.statusCode).toBe(200);
    const stale = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${member.id}`,
      headers: { ...admin.headers, 'if-match': '"1"' },
      payload: { is_admin: true },
    });
    expect(stale.statusCode).toBe(412);
  });
});

describe('demo sign-in', () => {
  it('is offered only in demo mode', async () => {
    const off = await t.app.inject({ url: '/api/v1/auth/options' });
    expect(off.json()).toEqual({ demo_roles: [], demo_password: null });
    const refused = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/demo-sign-in',
      payload: { key: 'admin' },
    });
    expect(refused.statusCode).toBe(404);
    await setDemoMode(t.ctx, true);
    const on = await t.app.inject({ url: '/api/v1/auth/options' });
    // No demo accounts exist in this database, so none is offered even in demo mode.
    expect(on.json().demo_roles).toEqual([]);
    await setDemoMode(t.ctx, false);
  });
});

describe('audit log', () => {
  it('is admin-only, filterable, and exports CSV safe for spreadsheets', async () => {
    const forbidden = await t.app.inject({ url: '/api/v1/audit-events', headers: member.headers });
    expect(forbidden.statusCode).toBe(403);
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: admin.headers,
      payload: { name: '=HYPERLINK("http://evil")', type: 'nonprofit' },
    });
    expect(created.statusCode).toBe(201);
    const list = await t.app.inject({
      url: '/api/v1/audit-events?entity_type=organisation&action=create',
      headers: admin.headers,
    });
    expect(list.json().items[0]).toMatchObject({
      entity_id: created.json().id,
      actor: { id: admin.id, display_name: 'Ada Admin' },
      changes: expect.arrayContaining([
        { field: 'name', before: null, after: '=HYPERLINK("http://evil")' },
      ]),
    });
    const csv = await t.app.inject({
      url: '/api/v1/audit-events/export.csv?entity_type=organisation',
      headers: admin.headers,
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const lines = csv.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'occurred_at,actor_id,actor,action,entity_type,entity_id,summary,changes,request_id',
    );
    expect(lines).toHaveLength(2);
    // The summary starts with "Added", but the change text must not start a formula either.
    expect(lines[1]).toContain('Added organisation ""=HYPERLINK');
    expect(lines[1]).not.toMatch(/,=/);
    const csvRefused = await t.app.inject({
      url: '/api/v1/audit-events/export.csv',
      headers: member.headers,
    });
    expect(csvRefused.statusCode).toBe(403);
  });

  it("shows a record's history to those who can see it, and 404 to others", async () => {
    const team = await t.app.inject({
      method: 'POST',
      url: '/api/v1/teams',
      headers: facilitator.headers,
      payload: { network_id: networkId, name: 'Secret team', visibility: 'team' },
    });
    const url = `/api/v1/history/team/${team.json().id}`;
    expect((await t.app.inject({ url, headers: facilitator.headers })).statusCode).toBe(200);
    expect((await t.app.inject({ url, headers: member.headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url })).statusCode).toBe(401);
  });
});
