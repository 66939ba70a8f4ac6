import type { Rng } from '../../core/random/prng.ts';
import type { Viewer } from '../platform/access.ts';
import type { AppContext } from '../platform/context.ts';

export type SeedSize = 'small' | 'large';

export interface SeedRun {
  /** Services called with this context write inside the seed's single transaction. */
  ctx: AppContext;
  /** Who the seed acts as: the server itself (an admin without a person). */
  viewer: Viewer;
  size: SeedSize;
  rng: Rng;
  /**
   * The seed's present (YYYY-MM-DD, never before the demo's epoch): measure data continue
   * through the last period that ended before it, so a demo seeded today looks current.
   */
  today: string;
  /** Reports progress within this domain's step: `done` of `total` units. */
  progress(done: number, total: number): void;
  /** Throws if the operator interrupted the seed (Ctrl-C), rolling the transaction back. */
  checkpoint(): Promise<void>;
}

/** One domain's contribution to the demo coalition. Later domains add their own module. */
export interface SeedModule {
  name: string;
  run(run: SeedRun): Promise<void>;
}
