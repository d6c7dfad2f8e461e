// A small seeded PRNG (mulberry32): fast, 32-bit state, good enough for simulation choices.
// Not for cryptography. The same seed always yields the same sequence.

/** A deterministic random source with helpers; `next` is usable as a `RandomSource`. */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T;
  /** A new generator seeded from this one (independent streams per node). */
  fork(): Prng;
}

/**
 * Creates a PRNG from a 32-bit seed.
 *
 * @example
 * ```ts
 * const rng = createPrng(42);
 * const timeoutJitter = rng.int(10);
 * ```
 */
export function createPrng(seed: number): Prng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const prng: Prng = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) throw new RangeError('prng.pick: empty array');
      return item;
    },
    fork: () => createPrng(Math.floor(next() * 4294967296)),
  };
  return prng;
}
