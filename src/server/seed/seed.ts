import { createRng } from '../../core/random/prng.ts';
import { SYSTEM } from '../platform/access.ts';
import { hasCoalition } from '../modules/coalition/coalition.service.ts';
import type { AppContext } from '../platform/context.ts';
import { StartupError } from '../platform/startup-error.ts';
import { coalitionSeed } from './coalition.seed.ts';
import { directorySeed } from './directory.seed.ts';
import { improvementSeed } from './improvement.seed.ts';
import { structureSeed } from './structure.seed.ts';
import type { SeedModule, SeedSize } from './seed-types.ts';

/** Domains in dependency order. Each later issue appends its own module. */
export const SEED_MODULES: SeedModule[] = [
  coalitionSeed,
  directorySeed,
  structureSeed,
  improvementSeed,
];

export const DEMO_SEED = 20261123;
/**
 * All demo timestamps count from here, one millisecond per record, so exports are identical; the
 * measure data after the story are dated by the seed's `today` (the same on the same day).
 */
const DEMO_EPOCH = Date.UTC(2026, 8, 1, 12, 0, 0);

export interface SeedOptions {
  size: SeedSize;
  seed?: number;
  onProgress?: (step: string, done: number, total: number) => void;
  signal?: AbortSignal;
  /** Pause at every checkpoint (ms): lets tests interrupt a seed at a known point. */
  stepDelayMs?: number;
  /** The seed's present (YYYY-MM-DD); default: the context clock's day. */
  today?: string;
}

export class SeedAbortedError extends Error {
  override readonly name = 'SeedAbortedError';
}

/**
 * Writes the demo coalition through the services, in one transaction: an interrupted seed
 * leaves nothing behind, and the next start seeds again. Refuses a database that already has a
 * coalition (seeding twice would duplicate the directory).
 */
export async function seedDemo(ctx: AppContext, options: SeedOptions): Promise<void> {
  const rng = createRng(options.seed ?? DEMO_SEED);
  const epochDay = new Date(DEMO_EPOCH).toISOString().slice(0, 10);
  const asked = options.today ?? ctx.now().toISOString().slice(0, 10);
  const today = asked > epochDay ? asked : epochDay;
  let tick = 0;
  await ctx.db.transaction().execute(async (trx) => {
    const seedCtx: AppContext = {
      ...ctx,
      db: trx,
      newId: () => rng.uuid(),
      now: () => new Date(DEMO_EPOCH + tick++),
    };
    if (await hasCoalition(seedCtx)) {
      throw new StartupError(
        'This database already has a coalition; the demo can only be seeded into an empty database.',
      );
    }
    for (const module of SEED_MODULES) {
      const checkpoint = async () => {
        if (options.stepDelayMs)
          await new Promise((resolve) => setTimeout(resolve, options.stepDelayMs));
        if (options.signal?.aborted)
          throw new SeedAbortedError('seed interrupted; nothing was written');
      };
      await checkpoint();
      await module.run({
        ctx: seedCtx,
        viewer: SYSTEM,
        size: options.size,
        rng,
        today,
        checkpoint,
        progress: (done, total) => options.onProgress?.(module.name, done, total),
      });
    }
  });
}
