import { describe, expect, it } from 'vitest';
import { correctMismatch, maskOutOfBand, mismatchSchema, samplerTrainerKl, sequenceRatio, tisWeights } from '../src/rl/mismatch.ts';

const close = (got: readonly number[], want: readonly number[]) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
};

const LN2 = Math.LN2;
// Worked example: d = train − sample = [ln 2, 0, −ln 2], all trainable.
const sample = [-1, -2, -3];
const train = [-1 + LN2, -2, -3 - LN2];
const all = [1, 1, 1];

describe('per-sequence pieces (worked example d = [ln 2, 0, −ln 2])', () => {
  it('tisWeights = min(exp(d), C)', () => {
    // exp(d) = [2, 1, 0.5]; C = 2 → [2, 1, 0.5]; C = 1.5 → [1.5, 1, 0.5]
    close(tisWeights(train, sample, all, { cap: 2 }), [2, 1, 0.5]);
    close(tisWeights(train, sample, all, { cap: 1.5 }), [1.5, 1, 0.5]);
  });
  it('sequenceRatio is the geometric mean exp(mean d) = exp(0) = 1', () => {
    expect(sequenceRatio(train, sample, all)).toBeCloseTo(1, 12);
    // [ln 4, ln 4] → exp(ln 4) = 4; one token ln 2 of two trainable (other 0) → exp(ln 2/2) = √2
    expect(sequenceRatio([Math.log(4), Math.log(4)], [0, 0], [1, 1])).toBeCloseTo(4, 12);
    expect(sequenceRatio([LN2, 0], [0, 0], [1, 1])).toBeCloseTo(Math.SQRT2, 12);
  });
  it('samplerTrainerKl = mean k3 = ((1 − ln 2) + 0 + (ln 2 − 0.5))/3 = 1/6', () => {
    // k3(ln 2) = 2 − ln 2 − 1 = 1 − ln 2; k3(0) = 0; k3(−ln 2) = 0.5 + ln 2 − 1 = ln 2 − 0.5
    expect(samplerTrainerKl(train, sample, all)).toBeCloseTo(1 / 6, 12);
    expect(samplerTrainerKl(sample, sample, all)).toBe(0);
  });
  it('k3 is non-negative and accurate for tiny gaps', () => {
    // exp(d) − d − 1 ≈ d²/2 for small d: d = 1e-8 → 5e-17. A naive exp(d) − d − 1 is off by
    // ~1e-16 (the ulp of exp(d) ≈ 1), i.e. pure noise; expm1(d) − d keeps ~8 significant digits.
    expect(Math.abs(samplerTrainerKl([1e-8], [0], [1]) / 5e-17 - 1)).toBeLessThan(1e-6);
    expect(samplerTrainerKl([-0.3, 0.2], [0, 0], [1, 1])).toBeGreaterThan(0);
  });
  it('masked tokens are ignored (multiplier 0) however far apart', () => {
    // the middle token is masked with a gap of 9 nats: nothing changes for the others
    const s = [-1, -1, -3];
    const t = [-1 + LN2, -10, -3 - LN2];
    const m = [1, 0, 1];
    close(tisWeights(t, s, m, { cap: 2 }), [2, 0, 0.5]);
    expect(sequenceRatio(t, s, m)).toBeCloseTo(1, 12); // exp((ln 2 − ln 2)/2)
    // ((1 − ln 2) + (ln 2 − 0.5))/2 = 0.25
    expect(samplerTrainerKl(t, s, m)).toBeCloseTo(0.25, 12);
  });
  it('no trainable token: ratio 1, KL 0', () => {
    expect(sequenceRatio([-1], [-5], [0])).toBe(1);
    expect(samplerTrainerKl([-1], [-5], [0])).toBe(0);
  });
  it('maskOutOfBand: inside [low, high] is kept, outside or NaN is masked', () => {
    const band = { low: 0.5, high: 2 };
    expect(maskOutOfBand(1, band)).toBe(false);
    expect(maskOutOfBand(0.5, band)).toBe(false);
    expect(maskOutOfBand(2, band)).toBe(false);
    expect(maskOutOfBand(0.49, band)).toBe(true);
    expect(maskOutOfBand(4, band)).toBe(true);
    expect(maskOutOfBand(Number.NaN, band)).toBe(true);
  });
  it('refuses misaligned arrays, non-0/1 masks and non-finite trainable log-probs', () => {
    expect(() => tisWeights([0], [0, 0], [1], { cap: 2 })).toThrow(/lengths differ/);
    expect(() => sequenceRatio([0], [0], [2])).toThrow(/must be 0 or 1/);
    expect(() => samplerTrainerKl([-Infinity], [0], [1])).toThrow(/not finite/);
    expect(() => tisWeights([0], [0], [1], { cap: 0.5 })).toThrow();
  });
});

describe('correctMismatch', () => {
  const batch = {
    // A: the worked example (ratio 1); B: d = [ln 4, ln 4] (ratio 4, out of [0.5, 2]); C: nothing trainable
    trainLogp_DT: [train, [Math.log(4) - 1, Math.log(4) - 1], [-7]],
    sampleLogp_DT: [sample, [-1, -1], [-1]],
    masks_DT: [all, [1, 1], [0]],
  };

  it('defaults: enabled, cap 2, band [0.5, 2]', () => {
    expect(mismatchSchema.parse({})).toEqual({ enabled: true, cap: 2, band: [0.5, 2] });
    expect(mismatchSchema.safeParse({ band: [1.1, 2] }).success).toBe(false);
    expect(mismatchSchema.safeParse({ cap: 0.9 }).success).toBe(false);
  });

  it('TIS weights, out-of-band sequences masked, counters', () => {
    // A: [2, 1, 0.5]; B: masked → [0, 0]; C: no trainable token → [0], not counted
    // meanRatio = (1 + 4)/2 = 2.5 ; maxAbsDev = ln 4 (B) > ln 2 (A)
    // kl over 5 tokens: A sums to 0.5 (see 1/6·3); B: 2·(4 − ln 4 − 1) = 6 − 4 ln 2 → (6.5 − 4 ln 2)/5
    const out = correctMismatch(batch);
    close(out.multipliers_DT[0]!, [2, 1, 0.5]);
    expect(out.multipliers_DT[1]).toEqual([0, 0]);
    expect(out.multipliers_DT[2]).toEqual([0]);
    expect(out.maskedSequences).toBe(1);
    expect(out.meanRatio).toBeCloseTo(2.5, 12);
    expect(out.maxAbsDev).toBeCloseTo(2 * LN2, 12);
    expect(out.kl).toBeCloseTo((6.5 - 4 * LN2) / 5, 12);
  });

  it('a wider band keeps B, capped at C', () => {
    // band [0.25, 4]: B's ratio 4 is inside; exp(ln 4) = 4 → min(4, 2) = 2 on both tokens
    const out = correctMismatch(batch, { band: [0.25, 4] });
    expect(out.maskedSequences).toBe(0);
    close(out.multipliers_DT[1]!, [2, 2]);
  });

  it('disabled: multipliers are the masks, counters still computed (no sequence masked)', () => {
    const out = correctMismatch(batch, { enabled: false });
    expect(out.multipliers_DT).toEqual([[1, 1, 1], [1, 1], [0]]);
    expect(out.maskedSequences).toBe(0);
    expect(out.meanRatio).toBeCloseTo(2.5, 12);
    expect(out.kl).toBeCloseTo((6.5 - 4 * LN2) / 5, 12);
  });

  it('an empty batch', () => {
    expect(correctMismatch({ trainLogp_DT: [], sampleLogp_DT: [], masks_DT: [] })).toEqual({
      multipliers_DT: [],
      maskedSequences: 0,
      meanRatio: 1,
      maxAbsDev: 0,
      kl: 0,
    });
  });
});
