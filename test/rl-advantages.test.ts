import { describe, expect, it } from 'vitest';
import { groupAdvantages, grpo, reinforcePlusPlus, rloo } from '../src/rl/advantages.ts';
import { isConstant, mean, std } from '../src/rl/stats.ts';

const close = (got: readonly number[], want: readonly number[]) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
};

describe('stats', () => {
  it('mean and population std', () => {
    // [1, 0, 0, 0]: mean 1/4; Σ(x − m)² = 0.75² + 3·0.25² = 0.5625 + 0.1875 = 0.75; /4 = 0.1875
    expect(mean([1, 0, 0, 0])).toBe(0.25);
    expect(std([1, 0, 0, 0])).toBeCloseTo(Math.sqrt(3) / 4, 12);
    // a pair is ±1 std apart: [3, 1] → mean 2, std 1
    expect(std([3, 1])).toBe(1);
    expect(mean([])).toBe(0);
    expect(std([])).toBe(0);
  });
  it('isConstant uses a 1e-9 tolerance', () => {
    expect(isConstant([1, 1 + 1e-12])).toBe(true);
    expect(isConstant([1, 1 + 1e-6])).toBe(false);
    expect(isConstant([7])).toBe(true);
  });
});

describe('grpo / dr_grpo / rloo (worked example: rewards [1, 0, 0, 0])', () => {
  const rewards_G = [1, 0, 0, 0];
  it('grpo with ε = 0: mean 0.25, std √3/4 → [√3, −1/√3, −1/√3, −1/√3]', () => {
    // 0.75/(√3/4) = 3/√3 = √3 ;  −0.25/(√3/4) = −1/√3
    close(grpo(rewards_G, { eps: 0 }), [Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3), -1 / Math.sqrt(3)]);
  });
  it('grpo with the default ε = 1e-6 divides by std + ε', () => {
    const s = Math.sqrt(3) / 4 + 1e-6;
    close(grpo(rewards_G), [0.75 / s, -0.25 / s, -0.25 / s, -0.25 / s]);
  });
  it('dr_grpo (stdScale false) only centres: [0.75, −0.25, −0.25, −0.25]', () => {
    close(grpo(rewards_G, { stdScale: false }), [0.75, -0.25, -0.25, -0.25]);
  });
  it('rloo: [1 − 0, 0 − 1/3, …] = [1, −1/3, −1/3, −1/3] = 4/3·(R − mean)', () => {
    close(rloo(rewards_G), [1, -1 / 3, -1 / 3, -1 / 3]);
    // a pair: 3 − 1 = 2, 1 − 3 = −2
    close(rloo([3, 1]), [2, -2]);
  });
  it('a single-sample group gives 0 for every estimator', () => {
    expect(rloo([5])).toEqual([0]);
    expect(grpo([5])).toEqual([0]);
    expect(grpo([5], { stdScale: false })).toEqual([0]);
  });
  it('a constant group gives exactly 0, not float noise / ε', () => {
    // mean of three 0.1s is 0.10000000000000002: (0.1 − mean)/1e-6 would be ≈ −2e-11, not 0
    expect(grpo([0.1, 0.1, 0.1])).toEqual([0, 0, 0]);
    expect(grpo([1, 1, 1 + 1e-12])).toEqual([0, 0, 0]);
    expect(rloo([2, 2])).toEqual([0, 0]);
  });
  it('refuses non-finite rewards', () => {
    expect(() => grpo([1, Number.NaN])).toThrow(/rewards_G\[1\] is not finite/);
    expect(() => rloo([Infinity, 0])).toThrow(/not finite/);
  });
});

describe('reinforcePlusPlus', () => {
  it('normalises over the whole batch', () => {
    // [2, 0, 1, 1]: mean 1, Σ(x − 1)² = 1 + 1 + 0 + 0 = 2, /4 = 0.5, std √0.5
    const s = Math.sqrt(0.5);
    close(reinforcePlusPlus([2, 0, 1, 1], { eps: 0 }), [1 / s, -1 / s, 0, 0]);
    expect(reinforcePlusPlus([3, 3, 3])).toEqual([0, 0, 0]);
  });
});

describe('groupAdvantages', () => {
  // worked example: groups [[1,0,0,0], [1,1,1,1]]
  const groups = [
    [1, 0, 0, 0],
    [1, 1, 1, 1],
  ];
  const r3 = 1 / Math.sqrt(3);

  it('grpo drops the all-equal group and counts it', () => {
    const out = groupAdvantages(groups, { estimator: 'grpo', eps: 0 });
    close(out.advantages[0]!, [Math.sqrt(3), -r3, -r3, -r3]);
    expect(out.advantages[1]).toEqual([0, 0, 0, 0]);
    expect(out.kept).toEqual([true, false]);
    expect(out.dropped).toBe(1);
  });
  it('dr_grpo centres and ignores stdScale; rloo leaves one out', () => {
    const dr = groupAdvantages(groups, { estimator: 'dr_grpo', stdScale: true });
    close(dr.advantages[0]!, [0.75, -0.25, -0.25, -0.25]);
    expect(dr.dropped).toBe(1);
    const lo = groupAdvantages(groups, { estimator: 'rloo' });
    close(lo.advantages[0]!, [1, -1 / 3, -1 / 3, -1 / 3]);
    expect(lo.kept).toEqual([true, false]);
  });
  it('grpo with stdScale false equals dr_grpo', () => {
    const a = groupAdvantages(groups, { estimator: 'grpo', stdScale: false });
    close(a.advantages[0]!, [0.75, -0.25, -0.25, -0.25]);
  });
  it('single-sample and empty groups are dropped for grpo, dr_grpo and rloo', () => {
    for (const estimator of ['grpo', 'dr_grpo', 'rloo'] as const) {
      const out = groupAdvantages([[1], [], [1, 0]], { estimator });
      expect(out.kept).toEqual([false, false, true]);
      expect(out.dropped).toBe(2);
      expect(out.advantages[0]).toEqual([0]);
      expect(out.advantages[1]).toEqual([]);
    }
  });
  it('reinforce_pp normalises across groups and keeps the all-equal group', () => {
    // B = [1,0,0,0, 1,1,1,1]: mean 5/8; binary, so var = p(1 − p) = 5/8·3/8 = 15/64, std √15/8
    // a 1 → (3/8)/(√15/8) = 3/√15 ; a 0 → (−5/8)/(√15/8) = −5/√15
    const out = groupAdvantages(groups, { estimator: 'reinforce_pp', eps: 0 });
    const hi = 3 / Math.sqrt(15);
    const lo = -5 / Math.sqrt(15);
    close(out.advantages[0]!, [hi, lo, lo, lo]);
    close(out.advantages[1]!, [hi, hi, hi, hi]);
    expect(out.kept).toEqual([true, true]);
    expect(out.dropped).toBe(0);
  });
  it('reinforce_pp keeps a single-sample group, drops only empty ones', () => {
    // B = [1, 0, 0]: mean 1/3, var (4/9 + 1/9 + 1/9)/3 = 2/9, std √2/3 → 1 ↦ (2/3)/(√2/3) = √2, 0 ↦ −1/√2
    const out = groupAdvantages([[1], [], [0, 0]], { estimator: 'reinforce_pp', eps: 0 });
    close(out.advantages[0]!, [Math.SQRT2]);
    expect(out.advantages[1]).toEqual([]);
    close(out.advantages[2]!, [-1 / Math.SQRT2, -1 / Math.SQRT2]);
    expect(out.kept).toEqual([true, false, true]);
    expect(out.dropped).toBe(1);
  });
});
