/**
 * A small deterministic pseudo-random generator for reproducible demo data and property tests.
 *
 * Algorithm: sfc32 (Chris Doty-Humphrey's Small Fast Counter, from PractRand), seeded through
 * splitmix32 so that nearby integer seeds give unrelated streams. Not for cryptography.
 *
 * @example
 * const rng = createRng(42);
 * rng.next();          // a float in [0, 1), the same on every run for seed 42
 * rng.int(1, 6);       // an integer die roll in 1..6
 */
export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(probability: number): boolean;
  uuid(): string;
}

export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const nextUint32 = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) nextUint32(); // discard the warm-up outputs

  const rng: Rng = {
    next: () => nextUint32() / 4294967296,
    int: (min, max) => min + Math.floor(rng.next() * (max - min + 1)),
    pick: (items) => {
      if (items.length === 0) throw new Error('pick from an empty list');
      return items[Math.floor(rng.next() * items.length)] as (typeof items)[number];
    },
    chance: (probability) => rng.next() < probability,
    uuid: () => {
      const hex = Array.from({ length: 4 }, () => nextUint32().toString(16).padStart(8, '0')).join(
        '',
      );
      // RFC 9562 layout of a version-4 (random) UUID: version nibble 4, variant bits 10xx.
      const variant = ((Number.parseInt(hex[16] as string, 16) & 0x3) | 0x8).toString(16);
      return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
    },
  };
  return rng;
}
