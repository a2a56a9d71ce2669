import { z } from 'zod';

/**
 * The few statistics every estimator shares, so that "mean", "std" and "constant" mean one
 * thing across advantages.ts, turn-advantages.ts, gigpo.ts, gae.ts and mismatch.ts.
 *
 * Worked example: xs = [1, 0, 0, 0]
 *   mean = 1/4 = 0.25;  std = √((0.75² + 3·0.25²)/4) = √(0.1875) = √3/4 ≈ 0.4330;
 *   isConstant([1, 1 + 1e-12]) = true (|max − min| ≤ 1e-9).
 */

/** Values whose spread is at most this are "all equal": such a set carries no signal. */
export const SAME_TOLERANCE = 1e-9;

/** ε added to a standard deviation before dividing by it (guards a tiny but non-zero spread). */
export const epsSchema = z
  .number()
  .min(0)
  .default(1e-6)
  .describe('ε in (x − mean)/(std + ε); 0 is safe (a constant set gives 0 before any division)');

/** Arithmetic mean; 0 for an empty array (nothing to centre). */
export function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/**
 * Population standard deviation √(Σ(x − mean)²/n), dividing by n, not n − 1: the group is the
 * whole set being compared, not a sample of a larger one, and a population std keeps a group of
 * two at exactly ±1. verl (`torch.std`) and TRL (`Tensor.std`) use Bessel's n − 1, so their
 * std-scaled advantages are ours times √((n − 1)/n) (0.935 for n = 8): a constant factor per
 * group size, which the learning rate absorbs, but it matters when comparing runs across codebases.
 */
export function std(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  const m = mean(xs);
  let sq = 0;
  for (const x of xs) sq += (x - m) * (x - m);
  return Math.sqrt(sq / xs.length);
}

/** True when every value lies within SAME_TOLERANCE of every other (vacuously for 0 or 1 values). */
export function isConstant(xs: readonly number[]): boolean {
  if (xs.length === 0) return true;
  let lo = Infinity;
  let hi = -Infinity;
  for (const x of xs) {
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return hi - lo <= SAME_TOLERANCE;
}

/** Throws on NaN or ±∞: a non-finite reward or log-prob would silently poison a whole batch. */
export function assertFinite(xs: readonly number[], what: string): void {
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new Error(`${what}[${i}] is not finite (${xs[i]})`);
  }
}

/** Throws unless the per-token (or per-turn) arrays line up. */
export function assertSameLength(a: readonly unknown[], b: readonly unknown[], what: string): void {
  if (a.length !== b.length) throw new Error(`${what}: lengths differ (${a.length} vs ${b.length})`);
}

/** Throws unless every mask entry is 0 or 1 (a mask says which tokens train; it is not a weight). */
export function assertMask(mask: readonly number[], what: string): void {
  for (let i = 0; i < mask.length; i++) {
    if (mask[i] !== 0 && mask[i] !== 1) throw new Error(`${what}[${i}] must be 0 or 1, got ${mask[i]}`);
  }
}
