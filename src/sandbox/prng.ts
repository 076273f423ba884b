/**
 * Seeded randomness. Every stream is derived from (seed, names…) so a minute of traffic does not
 * depend on which other minutes were generated first: the same seed and the same history give the
 * same numbers, whatever order things are read in.
 */

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal. */
  normal(): number;
  poisson(mean: number): number;
}

/** FNV-1a over the parts, finished with a murmur3 mix so nearby inputs spread. */
export function hashParts(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  const text = parts.join('\u0000');
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function createRng(...parts: (string | number)[]): Rng {
  let state = hashParts(...parts);
  const next = (): number => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    const u = 1 - next();
    const v = next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const poisson = (mean: number): number => {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = next();
    while (p > limit) {
      k++;
      p *= next();
    }
    return k;
  };
  return { next, normal, poisson };
}

/** The index-th uniform of a named stream: for draws that follow the order of API calls. */
export function uniformAt(seed: number, stream: string, index: number): number {
  return createRng(seed, stream, index).next();
}

/** A UUID-shaped id from a seeded stream (RevisionIds stay deterministic for a seed). */
export function idAt(seed: number, index: number): string {
  const rng = createRng(seed, 'id', index);
  let hex = '';
  for (let i = 0; i < 4; i++) {
    hex += Math.floor(rng.next() * 2 ** 32)
      .toString(16)
      .padStart(8, '0');
  }
  const variant = ((Number.parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
