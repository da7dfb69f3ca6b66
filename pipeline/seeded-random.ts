/**
 * Small deterministic PRNG for reproducible data transforms (e.g. FIM).
 *
 * Why not `Math.random()`: exports must be byte-identical across reruns and
 * machines so that a corpus snapshot can be rebuilt and diffed. Why not a
 * shared global stream: per-document streams (`${globalSeed}:${docId}`) keep
 * one document's output independent of which other documents were processed,
 * in what order, or by which worker.
 *
 * Generator: sfc32 ("Small Fast Counting", Chris Doty-Humphrey, from the
 * PractRand suite — https://pracrand.sourceforge.net/). It passes PractRand
 * and BigCrush, and uses only 32-bit additions, xors, shifts and rotates
 * (coerced with `>>> 0`; no multiplications, so not even `Math.imul` is
 * needed), so it is exact and identical on every JS engine and platform.
 * Not cryptographically secure; it is not meant to be.
 */
import { createHash } from 'node:crypto';

/** A deterministic source of uniform random numbers. */
export interface Random {
  /** Uniform float in [0, 1), with 53 bits of resolution. */
  next(): number;
  /**
   * Uniform integer in [0, maxExclusive). Consumes exactly one `next()` so
   * the stream position never depends on the argument.
   * @throws RangeError unless `maxExclusive` is an integer in [1, 2^53].
   */
  int(maxExclusive: number): number;
}

/**
 * Warm-up rounds discarded after seeding. The PractRand reference seeding for
 * sfc32 discards 12 outputs so that related seeds decorrelate; since our state
 * already comes from SHA-256 this is belt-and-braces, but it is cheap.
 */
const WARMUP_ROUNDS = 12;

const TWO_POW_26 = 2 ** 26;
const TWO_POW_53 = 2 ** 53;

/**
 * Create a deterministic generator from an arbitrary string seed.
 *
 * The 128-bit sfc32 state is the first 16 bytes of `sha256(seed)` (UTF-8),
 * read as four big-endian uint32 words, so distinct seeds such as
 * `${globalSeed}:${docId}` yield statistically independent streams. No
 * fix-up for an all-zero state is needed: sfc32's counter word `d` keeps
 * advancing, so the generator cannot get stuck.
 *
 * @param seed Any string; the same seed always yields the same sequence.
 */
export function createRandom(seed: string): Random {
  if (typeof seed !== 'string') {
    throw new TypeError(`createRandom: seed must be a string, got ${typeof seed}`);
  }
  const digest = createHash('sha256').update(seed, 'utf8').digest();
  let a = digest.readUInt32BE(0);
  let b = digest.readUInt32BE(4);
  let c = digest.readUInt32BE(8);
  let d = digest.readUInt32BE(12);

  /** One sfc32 step; returns an unsigned 32-bit integer. */
  const nextUint32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = (b ^ (b >>> 9)) >>> 0;
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };

  for (let i = 0; i < WARMUP_ROUNDS; i++) nextUint32();

  // 53-bit float from two 32-bit outputs (27 + 26 bits), the same
  // construction as `genrand_res53` in the reference Mersenne Twister.
  // Why 53 bits: `int(n)` for n up to a few million (document lengths) is
  // then unbiased to within n / 2^53, i.e. invisible.
  const next = (): number => {
    const hi = nextUint32() >>> 5;
    const lo = nextUint32() >>> 6;
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  };

  const int = (maxExclusive: number): number => {
    if (!Number.isInteger(maxExclusive) || maxExclusive < 1 || maxExclusive > TWO_POW_53) {
      throw new RangeError(
        `Random.int: maxExclusive must be an integer in [1, 2^53], got ${String(maxExclusive)}`,
      );
    }
    // The min() guards the (theoretical) round-up of next() * n to n.
    return Math.min(Math.floor(next() * maxExclusive), maxExclusive - 1);
  };

  return { next, int };
}
