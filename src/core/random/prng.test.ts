import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from './prng.ts';

describe('createRng', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, createRng(seed).next);
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
  });

  it('stays in range', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.integer({ min: -50, max: 50 }),
        fc.integer({ min: 0, max: 50 }),
        (seed, min, span) => {
          const rng = createRng(seed);
          const x = rng.next();
          const n = rng.int(min, min + span);
          return x >= 0 && x < 1 && n >= min && n <= min + span && Number.isInteger(n);
        },
      ),
    );
  });

  it('makes RFC 9562 version-4 UUIDs', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) =>
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(
          createRng(seed).uuid(),
        ),
      ),
    );
  });

  it('has a roughly uniform mean (sanity check of the generator)', () => {
    const rng = createRng(1);
    let sum = 0;
    for (let i = 0; i < 100_000; i++) sum += rng.next();
    expect(sum / 100_000).toBeCloseTo(0.5, 2);
  });
});
