/**
 * Seeded pseudo-randomness for the demo channel. Not cryptographic: it only has to be fast,
 * well mixed and identical on every platform, so that a seed always yields the same channel.
 */

/** Murmur3's 32-bit finaliser: avalanches every input bit into every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * A 32-bit hash of a seed and a path of integer keys, e.g. `(seed, STREAM.orders, dealer,
 * month)`. Sub-streams keyed this way are independent of each other, so the facts of one
 * dealer never depend on how many rows were generated before them.
 */
export function hashKeys(seed: number, ...keys: readonly number[]): number {
  // Fold a seed of any safe-integer size (and sign) into 32 bits without losing the high part.
  let h = fmix32((seed >>> 0) ^ Math.imul(Math.floor(seed / 0x1_0000_0000) >>> 0, 0x9e3779b1));
  for (const key of keys) h = fmix32(h ^ Math.imul((key >>> 0) + 0x7f4a7c15, 0x9e3779b1));
  return h;
}

/**
 * A small PRNG (mulberry32) with the draws the generator needs. Each dealer-month-stream gets
 * its own instance from {@link randomFor}, so its period of 2^32 is far more than enough.
 */
export class Random {
  private state: number;

  constructor(seed32: number) {
    this.state = seed32 >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** A standard normal deviate (Box-Muller; one of the pair is dropped for simplicity). */
  normal(): number {
    const u = 1 - this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next());
  }

  /** A log-normal factor with median 1: `exp(sigma * N(0,1))`. */
  noise(sigma: number): number {
    return Math.exp(sigma * this.normal());
  }

  /** A Poisson count with mean `lambda` (Knuth for small means, normal approximation above). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** Shuffle a mutable array in place (Fisher-Yates) and return it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}

/** A 32-bit FNV-1a hash of a string, for keying sub-streams by codes. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A fresh {@link Random} for the sub-stream named by `keys` under `seed`. */
export function randomFor(seed: number, ...keys: readonly number[]): Random {
  return new Random(hashKeys(seed, ...keys));
}

/**
 * Sub-stream names. Adding a stream never changes the others, because each is keyed apart.
 * Values are fixed forever: changing one changes every channel generated from a seed.
 */
export const STREAM = {
  catalogue: 1,
  geography: 2,
  dealerMaster: 3,
  plan: 4,
  outlets: 5,
  orders: 6,
  billing: 7,
  targets: 8,
  inventory: 9,
  visits: 10,
  complaints: 11,
  compliance: 12,
  qualifications: 13,
  campaigns: 14,
  archetypes: 15,
} as const;

/** Index of the first cumulative weight above `r * total` (binary search over a prefix sum). */
export function pickWeighted(cumulative: ArrayLike<number>, r: number): number {
  const n = cumulative.length;
  const target = r * (cumulative[n - 1] ?? 0);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cumulative[mid] ?? 0) > target) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Running sums of `weights`, for {@link pickWeighted}. */
export function cumulate(weights: readonly number[]): Float64Array {
  const out = new Float64Array(weights.length);
  let sum = 0;
  for (let i = 0; i < weights.length; i++) {
    sum += weights[i] ?? 0;
    out[i] = sum;
  }
  return out;
}
