import { z } from 'zod';
import { assertFinite, assertMask, assertSameLength } from './stats.ts';

/**
 * Sampler/trainer mismatch (design §6; SkyRL, prime-rl `trainer/rl/loss.py`). The sampler's
 * log-probs (vLLM/SGLang kernels, bf16, top-p renormalisation) differ from the trainer's forward
 * on the same tokens, so "on-policy" data is slightly off-policy. Per token, with
 * d_t = trainLogp_t − sampleLogp_t (log π_train/π_sample of the sampled token):
 *
 *   tisWeights        w_t = min(exp(d_t), C)            truncated importance sampling, detached:
 *                     a multiplier on the token's advantage. Because w ≥ 0 it scales a PPO-clip
 *                     term exactly as it scales a plain policy-gradient term.
 *   sequenceRatio     ρ = exp(mean_t d_t)               geometric mean of the token ratios
 *   maskOutOfBand     ρ ∉ [low, high] → drop the sequence (its multipliers become 0)
 *   samplerTrainerKl  mean_t (exp(d_t) − d_t − 1)       Schulman's k3 estimator
 *
 * KL direction: the tokens were drawn from π_sample, so with r = π_train/π_sample the estimator
 * k3 = (r − 1) − log r has expectation Σ π_sample·(r − 1 − log r) = KL(π_sample ‖ π_train) — the
 * only direction that sampled tokens estimate without bias, and k3 is never negative. It is
 * logged as `kl/sampler_trainer`.
 *
 * Only masked-in tokens (mask 1) count; masked tokens get multiplier 0 and are ignored by the
 * means. A sequence without a trainable token has ratio 1 and KL 0.
 *
 * Worked example: sampleLogp = [−1, −2, −3], trainLogp = [−1 + ln 2, −2, −3 − ln 2], all trainable
 * (d = [ln 2, 0, −ln 2]):
 *   tisWeights, C = 2     → [min(2, 2), 1, 0.5] = [2, 1, 0.5];   C = 1.5 → [1.5, 1, 0.5]
 *   sequenceRatio         → exp((ln 2 + 0 − ln 2)/3) = exp(0) = 1: inside [0.5, 2], kept
 *   samplerTrainerKl      → ((2 − ln 2 − 1) + 0 + (0.5 + ln 2 − 1))/3 = 0.5/3 = 1/6
 */

export const mismatchSchema = z.object({
  enabled: z
    .boolean()
    .default(true)
    .describe('Apply TIS and sequence masking (the KL and ratio counters are computed either way); a no-op when sampler and trainer agree'),
  cap: z.number().min(1).default(2).describe('C of truncated importance sampling: w = min(π_train/π_sample, C); ≥ 1 so on-policy tokens keep weight 1'),
  band: z
    .tuple([z.number().positive(), z.number().positive()])
    .default([0.5, 2])
    .refine(([low, high]) => low <= 1 && 1 <= high, { message: 'band [low, high] must contain 1 (a perfectly matched sequence must be kept)' })
    .describe('[low, high]: sequences whose geometric-mean ratio exp(mean d) leaves it are masked'),
});
export type Mismatch = z.infer<typeof mismatchSchema>;

function check(trainLogp_T: readonly number[], sampleLogp_T: readonly number[], mask_T: readonly number[]): void {
  assertSameLength(trainLogp_T, sampleLogp_T, 'trainLogp_T vs sampleLogp_T');
  assertSameLength(trainLogp_T, mask_T, 'trainLogp_T vs mask_T');
  assertMask(mask_T, 'mask_T');
  assertFinite(
    trainLogp_T.filter((_, t) => mask_T[t] === 1),
    'trainLogp_T (masked)',
  );
  assertFinite(
    sampleLogp_T.filter((_, t) => mask_T[t] === 1),
    'sampleLogp_T (masked)',
  );
}

/** Truncated importance weights min(exp(train − sample), cap) per token; 0 where the mask is 0. */
export function tisWeights(
  trainLogp_T: readonly number[],
  sampleLogp_T: readonly number[],
  mask_T: readonly number[],
  opts: { cap: number },
): number[] {
  check(trainLogp_T, sampleLogp_T, mask_T);
  const cap = mismatchSchema.shape.cap.parse(opts.cap);
  return trainLogp_T.map((lp, t) => (mask_T[t] === 1 ? Math.min(Math.exp(lp - sampleLogp_T[t]!), cap) : 0));
}

/** exp(mean of train − sample over masked tokens): the sequence's geometric-mean ratio (1 when none). */
export function sequenceRatio(trainLogp_T: readonly number[], sampleLogp_T: readonly number[], mask_T: readonly number[]): number {
  check(trainLogp_T, sampleLogp_T, mask_T);
  let sum = 0;
  let n = 0;
  mask_T.forEach((m, t) => {
    if (m === 1) {
      sum += trainLogp_T[t]! - sampleLogp_T[t]!;
      n++;
    }
  });
  return n === 0 ? 1 : Math.exp(sum / n);
}

/** True when the ratio lies outside [low, high], i.e. the sequence is to be masked. */
export function maskOutOfBand(ratio: number, band: { low: number; high: number }): boolean {
  return !(ratio >= band.low && ratio <= band.high); // NaN is out of band
}

/** Sum and count of the k3 terms exp(d) − d − 1 over masked tokens (expm1 keeps tiny d accurate). */
function k3Sum(trainLogp_T: readonly number[], sampleLogp_T: readonly number[], mask_T: readonly number[]): [number, number] {
  let sum = 0;
  let n = 0;
  mask_T.forEach((m, t) => {
    if (m === 1) {
      const d = trainLogp_T[t]! - sampleLogp_T[t]!;
      sum += Math.expm1(d) - d;
      n++;
    }
  });
  return [sum, n];
}

/** KL(π_sample ‖ π_train) per token, k3 estimator, mean over masked tokens (0 when none). */
export function samplerTrainerKl(trainLogp_T: readonly number[], sampleLogp_T: readonly number[], mask_T: readonly number[]): number {
  check(trainLogp_T, sampleLogp_T, mask_T);
  const [sum, n] = k3Sum(trainLogp_T, sampleLogp_T, mask_T);
  return n === 0 ? 0 : sum / n;
}

export interface MismatchBatch {
  trainLogp_DT: readonly (readonly number[])[];
  sampleLogp_DT: readonly (readonly number[])[];
  masks_DT: readonly (readonly number[])[];
}

export interface MismatchCorrection {
  /** Per-token multipliers for the advantages: TIS weight, 0 for masked tokens and masked sequences. */
  multipliers_DT: number[][];
  /** Sequences masked because their ratio left the band (multipliers all 0); 0 when disabled. */
  maskedSequences: number;
  /** Mean of the sequence ratios over sequences with a trainable token (1 when none). */
  meanRatio: number;
  /** Largest |train − sample| log-prob gap over the batch's trainable tokens. */
  maxAbsDev: number;
  /** `kl/sampler_trainer`: k3 mean over every trainable token of the batch. */
  kl: number;
}

/**
 * Applies the mismatch correction to a batch: multipliers = TIS weights, zeroed for sequences out
 * of band; with `enabled: false` the multipliers are just the masks (the counters are still
 * computed, except maskedSequences: the KL is worth watching whether or not we correct for it).
 *
 * Example (cap 2, band [0.5, 2]): sequence A as in the module example (ratio 1, multipliers
 * [2, 1, 0.5]); sequence B with d = [ln 4, ln 4] (ratio 4 > 2: masked, multipliers [0, 0]) →
 * maskedSequences 1, meanRatio (1 + 4)/2 = 2.5, maxAbsDev ln 4,
 * kl = (0.5 + 2·(4 − ln 4 − 1))/5 = (6.5 − 4 ln 2)/5.
 */
export function correctMismatch(batch: MismatchBatch, cfg: z.input<typeof mismatchSchema> = {}): MismatchCorrection {
  const { enabled, cap, band } = mismatchSchema.parse(cfg);
  const { trainLogp_DT, sampleLogp_DT, masks_DT } = batch;
  assertSameLength(trainLogp_DT, sampleLogp_DT, 'trainLogp_DT vs sampleLogp_DT');
  assertSameLength(trainLogp_DT, masks_DT, 'trainLogp_DT vs masks_DT');

  const multipliers_DT: number[][] = [];
  let maskedSequences = 0;
  let ratioSum = 0;
  let sequences = 0;
  let maxAbsDev = 0;
  let klSum = 0;
  let tokens = 0;
  trainLogp_DT.forEach((train_T, d) => {
    const sample_T = sampleLogp_DT[d]!;
    const mask_T = masks_DT[d]!;
    const ratio = sequenceRatio(train_T, sample_T, mask_T); // validates the datum
    const [k3, n] = k3Sum(train_T, sample_T, mask_T);
    klSum += k3;
    tokens += n;
    mask_T.forEach((m, t) => {
      if (m === 1) maxAbsDev = Math.max(maxAbsDev, Math.abs(train_T[t]! - sample_T[t]!));
    });
    const out = n > 0 && maskOutOfBand(ratio, { low: band[0], high: band[1] });
    if (n > 0) {
      ratioSum += ratio;
      sequences++;
    }
    if (!enabled) multipliers_DT.push([...mask_T]);
    else if (out) {
      maskedSequences++;
      multipliers_DT.push(mask_T.map(() => 0));
    } else multipliers_DT.push(tisWeights(train_T, sample_T, mask_T, { cap }));
  });
  return {
    multipliers_DT,
    maskedSequences,
    meanRatio: sequences === 0 ? 1 : ratioSum / sequences,
    maxAbsDev,
    kl: tokens === 0 ? 0 : klSum / tokens,
  };
}
