import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aggregationSchema, lossWeights } from '../src/rl/aggregation.ts';

// The worked example: 2 and 4 trainable tokens, the second sequence with a masked gap.
const masks = [
  [0, 1, 1, 0],
  [1, 1, 0, 1, 1],
];

describe('lossWeights (worked example: N = 6, D = 2)', () => {
  it('token_mean (default): every trainable token 1/6', () => {
    const w = lossWeights(masks);
    const s = 1 / 6;
    expect(w).toEqual([
      [0, s, s, 0],
      [s, s, 0, s, s],
    ]);
  });
  it('seq_mean_token_mean: 1/(2·2) = 1/4 and 1/(2·4) = 1/8', () => {
    expect(lossWeights(masks, { mode: 'seq_mean_token_mean' })).toEqual([
      [0, 0.25, 0.25, 0],
      [0.125, 0.125, 0, 0.125, 0.125],
    ]);
  });
  it('constant C = 8: 1/(2·8) = 1/16 everywhere, Σw = 6/16 = 0.375', () => {
    const w = lossWeights(masks, { mode: 'constant', constant: 8 });
    const c = 1 / 16;
    expect(w).toEqual([
      [0, c, c, 0],
      [c, c, 0, c, c],
    ]);
    expect(w.flat().reduce((a, b) => a + b, 0)).toBe(0.375);
  });
  it('masked gaps weigh 0 in every mode', () => {
    for (const cfg of [{}, { mode: 'seq_mean_token_mean' as const }, { mode: 'constant' as const, constant: 3 }]) {
      const w = lossWeights(masks, cfg);
      masks.forEach((m, d) => m.forEach((x, t) => x === 0 && expect(w[d]![t]).toBe(0)));
    }
  });
  it('a datum without trainable tokens weighs 0 and does not count in D', () => {
    // D stays 1: the lone trainable sequence of 2 tokens gets 1/(1·2) each
    expect(lossWeights([[0, 0], [1, 1], []], { mode: 'seq_mean_token_mean' })).toEqual([[0, 0], [0.5, 0.5], []]);
    expect(lossWeights([[0, 0], [1, 1]], { mode: 'constant', constant: 4 })).toEqual([
      [0, 0],
      [0.25, 0.25],
    ]);
    // nothing trainable at all: all 0, never 1/0
    expect(lossWeights([[0, 0]])).toEqual([[0, 0]]);
  });
  it('config: constant mode needs C; masks must be 0/1', () => {
    expect(aggregationSchema.parse({})).toEqual({ mode: 'token_mean' });
    expect(() => lossWeights(masks, { mode: 'constant' })).toThrow(/needs `constant`/);
    expect(() => lossWeights([[1, 0.5]])).toThrow(/must be 0 or 1/);
  });
});

describe('Σ weights·loss equals the mode definition (property)', () => {
  const batch = fc
    .array(
      fc.array(
        fc.record({ mask: fc.constantFrom(0, 1), loss: fc.double({ min: -10, max: 10, noNaN: true }) }),
        { minLength: 0, maxLength: 12 },
      ),
      { minLength: 1, maxLength: 6 },
    )
    .filter((ds) => ds.some((d) => d.some((t) => t.mask === 1)));

  it('for token_mean, seq_mean_token_mean and constant', () => {
    fc.assert(
      fc.property(batch, fc.double({ min: 1, max: 64, noNaN: true }), (data, C) => {
        const masks_DT = data.map((d) => d.map((t) => t.mask));
        const loss_DT = data.map((d) => d.map((t) => t.loss));
        const weighted = (w: number[][]) => w.reduce((s, row, d) => row.reduce((a, x, t) => a + x * loss_DT[d]![t]!, s), 0);

        // definitions straight from their formulas, over the trainable tokens only
        const trainable = data.map((d) => d.filter((t) => t.mask === 1).map((t) => t.loss));
        const nonEmpty = trainable.filter((ls) => ls.length > 0);
        const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
        const tokenMean = sum(nonEmpty.flat()) / nonEmpty.flat().length;
        const seqMean = sum(nonEmpty.map((ls) => sum(ls) / ls.length)) / nonEmpty.length;
        const constant = sum(nonEmpty.map((ls) => sum(ls) / C)) / nonEmpty.length;

        const near = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b));
        expect(near(weighted(lossWeights(masks_DT)), tokenMean)).toBe(true);
        expect(near(weighted(lossWeights(masks_DT, { mode: 'seq_mean_token_mean' })), seqMean)).toBe(true);
        expect(near(weighted(lossWeights(masks_DT, { mode: 'constant', constant: C })), constant)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
