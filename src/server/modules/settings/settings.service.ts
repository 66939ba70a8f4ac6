import type { AppContext } from '../../platform/context.ts';
import { readSetting, writeSetting } from './settings.repository.ts';

/**
 * Demo mode: set by the demo seed. The sign-in page then offers "sign in as a demo role", so that
 * a visitor can try each role without an account. Never set on a real instance.
 */
const DEMO_MODE = 'demo_mode';

export async function isDemoMode(ctx: AppContext): Promise<boolean> {
  return (await readSetting(ctx.db, DEMO_MODE)) === true;
}

export async function setDemoMode(ctx: AppContext, on: boolean): Promise<void> {
  await writeSetting(ctx.db, DEMO_MODE, on, ctx.now());
}
