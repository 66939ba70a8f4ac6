/**
 * Signed-in callers for API tests: real accounts, memberships and sessions in the test database,
 * made through the services (password hashing done once per process, since scrypt is slow by
 * design). `headers` carry the session cookie and a same-origin Origin, as a browser sends them.
 */
import { createUser } from '../../src/server/modules/accounts/auth.service.ts';
import * as users from '../../src/server/modules/accounts/user.repository.ts';
import { grantRole, resolveScope } from '../../src/server/modules/structure/membership.service.ts';
import { type Role, SYSTEM } from '../../src/server/platform/access.ts';
import type { AppContext } from '../../src/server/platform/context.ts';
import { hashPassword, hashSecret, newSecret } from '../../src/server/platform/secrets.ts';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

export interface TestActor {
  id: string;
  email: string;
  display_name: string;
  /** Cookie + Origin, for `app.inject({ headers })`. */
  headers: { cookie: string; origin: string };
}

let counter = 0;

export async function createActor(
  ctx: AppContext,
  options: {
    name?: string;
    is_admin?: boolean;
    roles?: { role: Role; network_id?: string; team_id?: string }[];
  } = {},
): Promise<TestActor> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const n = ++counter;
  const name = options.name ?? `Tester ${n}`;
  const email = `tester-${n}-${newSecret().slice(0, 6).toLowerCase()}@example.org`;
  const user = await createUser(
    ctx,
    { email, display_name: name, password: TEST_PASSWORD, is_admin: options.is_admin ?? false },
    { passwordHash: await passwordHash },
  );
  for (const grant of options.roles ?? []) {
    const scope = await resolveScope(ctx, SYSTEM, grant.role, grant.network_id, grant.team_id);
    await grantRole(ctx, SYSTEM, user, grant.role, scope);
  }
  const token = newSecret();
  const now = ctx.now();
  await users.insertSession(ctx.db, {
    id: ctx.newId(),
    user_id: user.id,
    token_hash: hashSecret(token),
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + 86_400_000),
    user_agent: 'test',
  });
  return {
    id: user.id,
    email,
    display_name: name,
    headers: { cookie: `tandem_session=${token}`, origin: 'http://localhost' },
  };
}

/**
 * One more browser session for an existing user: its cookie header value and its id, so that a
 * test can sign out or revoke it without ending the actor's main session.
 */
export async function createSession(
  ctx: AppContext,
  userId: string,
): Promise<{ id: string; cookie: string }> {
  const token = newSecret();
  const now = ctx.now();
  const id = ctx.newId();
  await users.insertSession(ctx.db, {
    id,
    user_id: userId,
    token_hash: hashSecret(token),
    created_at: now,
    last_seen_at: now,
    expires_at: new Date(now.getTime() + 86_400_000),
    user_agent: 'test',
  });
  return { id, cookie: `tandem_session=${token}` };
}
