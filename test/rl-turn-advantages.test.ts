import { describe, expect, it } from 'vitest';
import { discountedReturns, turnAdvantages, turnOptionsSchema } from '../src/rl/turn-advantages.ts';

const close = (got: readonly (readonly number[])[], want: readonly (readonly number[])[]) => {
  expect(got.map((r) => r.length)).toEqual(want.map((r) => r.length));
  got.forEach((row, i) => row.forEach((g, k) => expect(g).toBeCloseTo(want[i]![k]!, 12)));
};

describe('discountedReturns', () => {
  it('sums later rewards with γ^(j−k)', () => {
    // [1, 0, 1], γ = 0.5: k=2: 1; k=1: 0 + 0.5·1 = 0.5; k=0: 1 + 0.5·0.5 = 1.25
    expect(discountedReturns([1, 0, 1], 0.5)).toEqual([1.25, 0.5, 1]);
    expect(discountedReturns([], 0.9)).toEqual([]);
  });
});

describe('turnAdvantages', () => {
  it('defaults: γ = 0.9, λ = 0.25, ε = 1e-6', () => {
    expect(turnOptionsSchema.parse({})).toEqual({ gamma: 0.9, lambda: 0.25, eps: 1e-6 });
  });

  it('worked example (γ 0.5, λ 0.25, ε 0), turn counts 3 and 2', () => {
    // R^T: rollout 0 = [1.25, 0.5, 1]; rollout 1 = [−1 + 0.5·0, 0] = [−1, 0]
    // Â^O: outcomes [1, 0] → mean 0.5, std 0.5 → [1, −1]
    // pool [1.25, 0.5, 1, −1, 0]: μ = 1.75/5 = 0.35; deviations 0.9, 0.15, 0.65, −1.35, −0.35;
    //   squares 0.81 + 0.0225 + 0.4225 + 1.8225 + 0.1225 = 3.2; σ² = 3.2/5 = 0.64, σ = 0.8
    //   Â^T = deviations/0.8 = [1.125, 0.1875, 0.8125], [−1.6875, −0.4375]
    // A = Â^O + 0.25·Â^T: 1 + 0.28125, 1 + 0.046875, 1 + 0.203125; −1 − 0.421875, −1 − 0.109375
    const out = turnAdvantages(
      [
        { outcome: 1, scores_K: [1, 0, 1] },
        { outcome: 0, scores_K: [-1, 0] },
      ],
      { gamma: 0.5, lambda: 0.25, eps: 0 },
    );
    close(out.advantages_GK, [
      [1.28125, 1.046875, 1.203125],
      [-1.421875, -1.109375],
    ]);
    expect(out.kept).toBe(true);
  });

  it('default γ = 0.9 and ε = 1e-6', () => {
    // R^T: rollout 0, scores [0, 1] → [0 + 0.9·1, 1] = [0.9, 1]; rollout 1, scores [0] → [0]
    // pool [0.9, 1, 0]: μ = 1.9/3; σ = √(((0.9 − μ)² + (1 − μ)² + μ²)/3)
    // Â^O = [0.5/(0.5 + ε), −0.5/(0.5 + ε)]
    const mu = 1.9 / 3;
    const sigma = Math.sqrt(((0.9 - mu) ** 2 + (1 - mu) ** 2 + mu ** 2) / 3) + 1e-6;
    const o = 0.5 / (0.5 + 1e-6);
    const out = turnAdvantages([
      { outcome: 1, scores_K: [0, 1] },
      { outcome: 0, scores_K: [0] },
    ]);
    close(out.advantages_GK, [[o + (0.25 * (0.9 - mu)) / sigma, o + (0.25 * (1 - mu)) / sigma], [-o + (0.25 * -mu) / sigma]]);
  });

  it('all outcomes equal: Â^O = 0, only the damped turn term remains', () => {
    // R^T: [1] and [−1]: μ 0, σ 1 → Â^T = [1], [−1]; A = 0 + 0.25·(±1)
    const out = turnAdvantages(
      [
        { outcome: 1, scores_K: [1] },
        { outcome: 1, scores_K: [-1] },
      ],
      { eps: 0 },
    );
    close(out.advantages_GK, [[0.25], [-0.25]]);
    expect(out.kept).toBe(true);
  });

  it('all turn returns equal: Â^T = 0, the outcome term is broadcast to every turn', () => {
    // every score 0 → every R^T 0; outcomes [1, 0] → Â^O = [1, −1]
    const out = turnAdvantages(
      [
        { outcome: 1, scores_K: [0, 0, 0] },
        { outcome: 0, scores_K: [0] },
      ],
      { eps: 0 },
    );
    expect(out.advantages_GK).toEqual([[1, 1, 1], [-1]]);
    expect(out.kept).toBe(true);
  });

  it('both constant: dropped, all 0', () => {
    const out = turnAdvantages([
      { outcome: 1, scores_K: [0, 0] },
      { outcome: 1, scores_K: [0] },
    ]);
    expect(out.advantages_GK).toEqual([[0, 0], [0]]);
    expect(out.kept).toBe(false);
  });

  it('a rollout without agent turns still counts in the outcome baseline', () => {
    // outcomes [1, 0.5, 0]: mean 0.5, Σ(o − 0.5)² = 0.25 + 0 + 0.25 = 0.5, var 0.5/3 = 1/6
    //   → Â^O = [0.5/√(1/6), 0, −0.5/√(1/6)] = [√1.5, 0, −√1.5]; the empty rollout has no turn to carry its 0
    // pool R^T = [0, 0] → constant → Â^T = 0
    const out = turnAdvantages(
      [
        { outcome: 1, scores_K: [0] },
        { outcome: 0.5, scores_K: [] },
        { outcome: 0, scores_K: [0] },
      ],
      { eps: 0 },
    );
    close(out.advantages_GK, [[Math.sqrt(1.5)], [], [-Math.sqrt(1.5)]]);
  });

  it('a single-rollout group keeps its turn term (its turns still differ)', () => {
    // R^T of [1, 0] at γ 0.5 = [1, 0]: μ 0.5, σ 0.5 → Â^T = [1, −1]; Â^O = 0
    const out = turnAdvantages([{ outcome: 1, scores_K: [1, 0] }], { gamma: 0.5, eps: 0 });
    close(out.advantages_GK, [[0.25, -0.25]]);
    expect(out.kept).toBe(true);
  });

  it('an empty group gives nothing and is not kept', () => {
    expect(turnAdvantages([])).toEqual({ advantages_GK: [], kept: false });
  });
});
