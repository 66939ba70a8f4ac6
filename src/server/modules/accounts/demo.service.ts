import type { AppContext } from '../../platform/context.ts';
import { AppError } from '../../platform/errors.ts';
import { DEMO_PASSWORD, DEMO_USERS } from '../../seed/structure.seed.ts';
import { isDemoMode } from '../settings/settings.service.ts';
import { openSession, type SignedIn } from './auth.service.ts';
import { findActiveUserByEmail } from './user.repository.ts';

/** The demo accounts still present, offered on the sign-in page of a demo instance only. */
export async function signInOptions(ctx: AppContext) {
  if (!(await isDemoMode(ctx))) return { demo_roles: [], demo_password: null };
  const present = [];
  for (const demo of DEMO_USERS) {
    if (await findActiveUserByEmail(ctx.db, demo.email))
      present.push({ key: demo.key, label: demo.label, email: demo.email });
  }
  return { demo_roles: present, demo_password: DEMO_PASSWORD };
}

export async function signInAsDemo(
  ctx: AppContext,
  key: string,
  client: { userAgent?: string | undefined },
): Promise<SignedIn> {
  const notOffered = new AppError('not_found', 'There is no demo account to sign in as here.');
  if (!(await isDemoMode(ctx))) throw notOffered;
  const demo = DEMO_USERS.find((candidate) => candidate.key === key);
  const user = demo && (await findActiveUserByEmail(ctx.db, demo.email));
  if (!user) throw notOffered;
  return openSession(ctx, user.id, client);
}
