import { describe, expect, it } from 'vitest';
import { gae, gaeOptionsSchema, gaeOverMask, whiten } from '../src/rl/gae.ts';

const close = (got: readonly number[], want: readonly number[]) => {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 12));
};

// Two agent turns of two tokens each; turn rewards 0.5 and 1 sit on each turn's last token.
const rewards_T = [0, 0.5, 0, 1];
const values_T = [0.5, 0.5, 1, 0.5];

describe('gae', () => {
  it('defaults γ = λ = 1', () => {
    expect(gaeOptionsSchema.parse({})).toEqual({ gamma: 1, lambda: 1 });
  });

  it('γ = λ = 1: returns are the reward-to-go, A = returns − V', () => {
    // reward-to-go: [0 + 0.5 + 0 + 1, 0.5 + 0 + 1, 0 + 1, 1] = [1.5, 1.5, 1, 1]
    // A = [1.5 − 0.5, 1.5 − 0.5, 1 − 1, 1 − 0.5] = [1, 1, 0, 0.5]
    const out = gae(rewards_T, values_T);
    close(out.returns_T, [1.5, 1.5, 1, 1]);
    close(out.advantages_T, [1, 1, 0, 0.5]);
  });

  it('γ = λ = 0.5, turn rewards at turn ends (worked example)', () => {
    // γλ = 0.25; V_4 = 0 (terminal)
    // δ_3 = 1 + 0.5·0 − 0.5 = 0.5          A_3 = 0.5
    // δ_2 = 0 + 0.5·0.5 − 1 = −0.75        A_2 = −0.75 + 0.25·0.5 = −0.625
    // δ_1 = 0.5 + 0.5·1 − 0.5 = 0.5        A_1 = 0.5 + 0.25·(−0.625) = 0.34375
    // δ_0 = 0 + 0.5·0.5 − 0.5 = −0.25      A_0 = −0.25 + 0.25·0.34375 = −0.1640625
    // returns = A + V = [−0.1640625 + 0.5, 0.34375 + 0.5, −0.625 + 1, 0.5 + 0.5]
    const out = gae(rewards_T, values_T, { gamma: 0.5, lambda: 0.5 });
    close(out.advantages_T, [-0.1640625, 0.34375, -0.625, 0.5]);
    close(out.returns_T, [0.3359375, 0.84375, 0.375, 1]);
  });

  it('λ = 0 is the one-step TD error', () => {
    // A_t = δ_t at γ 0.5: [−0.25, 0.5, −0.75, 0.5]
    close(gae(rewards_T, values_T, { gamma: 0.5, lambda: 0 }).advantages_T, [-0.25, 0.5, -0.75, 0.5]);
  });

  it('an empty episode and length mismatches', () => {
    expect(gae([], [])).toEqual({ advantages_T: [], returns_T: [] });
    expect(() => gae([0, 1], [0])).toThrow(/lengths differ/);
    expect(() => gae([0, Number.NaN], [0, 0])).toThrow(/not finite/);
  });
});

describe('gaeOverMask: masked gaps are skipped as time steps', () => {
  it('env tokens between turns are not steps and get 0', () => {
    // mask [0, 1, 1, 0, 0, 1, 1]: the agent tokens are exactly the example above; the env tokens'
    // values (9) must not enter any δ. At γ = λ = 0.5 the agent tokens get [−0.1640625, 0.34375, −0.625, 0.5].
    const mask = [0, 1, 1, 0, 0, 1, 1];
    const r = [0, 0, 0.5, 0, 0, 0, 1];
    const v = [9, 0.5, 0.5, 9, 9, 1, 0.5];
    const out = gaeOverMask(r, v, mask, { gamma: 0.5, lambda: 0.5 });
    close(out.advantages_T, [0, -0.1640625, 0.34375, 0, 0, -0.625, 0.5]);
    close(out.returns_T, [0, 0.3359375, 0.84375, 0, 0, 0.375, 1]);
    // at γ = λ = 1: [0, 1, 1, 0, 0, 0, 0.5]
    close(gaeOverMask(r, v, mask).advantages_T, [0, 1, 1, 0, 0, 0, 0.5]);
  });

  it('equals gae on the gathered tokens however long the gap', () => {
    const gapped = gaeOverMask([0, 0, 0, 0, 0, 1], [0.2, 0, 0, 0, 0, 0.4], [1, 0, 0, 0, 0, 1], { gamma: 0.5, lambda: 0.5 });
    const packed = gae([0, 1], [0.2, 0.4], { gamma: 0.5, lambda: 0.5 });
    expect([gapped.advantages_T[0], gapped.advantages_T[5]]).toEqual(packed.advantages_T);
    // packed: δ_1 = 1 − 0.4 = 0.6; δ_0 = 0 + 0.5·0.4 − 0.2 = 0; A_0 = 0 + 0.25·0.6 = 0.15
    close(packed.advantages_T, [0.15, 0.6]);
  });

  it('a reward on a masked token is an error, not silently lost', () => {
    expect(() => gaeOverMask([0, 1, 0], [0, 0, 0], [1, 0, 1])).toThrow(/reward 1 on masked token 1/);
    expect(() => gaeOverMask([0, 0], [0, 0], [1, 0.5])).toThrow(/must be 0 or 1/);
  });
});

describe('whiten', () => {
  it('masked mean and std, 0 where masked', () => {
    // kept [1, 3]: mean 2, std 1 → [−1, 0, 1]
    close(whiten([1, 99, 3], [1, 0, 1], { eps: 0 }), [-1, 0, 1]);
    // default ε: ±1/(1 + 1e-6)
    close(whiten([1, 99, 3], [1, 0, 1]), [-1 / (1 + 1e-6), 0, 1 / (1 + 1e-6)]);
  });
  it('constant or empty masked values give 0s', () => {
    expect(whiten([2, 5, 2], [1, 0, 1])).toEqual([0, 0, 0]);
    expect(whiten([2, 5], [0, 0])).toEqual([0, 0]);
  });
});
