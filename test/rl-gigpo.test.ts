import { describe, expect, it } from 'vitest';
import { grpo } from '../src/rl/advantages.ts';
import { gigpo, gigpoOptionsSchema, type GigpoRollout } from '../src/rl/gigpo.ts';

const close = (got: readonly (readonly number[])[], want: readonly (readonly number[])[]) => {
  expect(got.map((r) => r.length)).toEqual(want.map((r) => r.length));
  got.forEach((row, i) => row.forEach((g, k) => expect(g).toBeCloseTo(want[i]![k]!, 12)));
};

// The module's worked example: every first turn starts from s0; rollouts 0 and 1 made the same
// first call and so share state a; everything after diverges.
const example: GigpoRollout[] = [
  { reward: 1, rewards_K: [0, 0, 1], stateKeys_K: ['s0', 'a', 'b'] },
  { reward: 0, rewards_K: [0, 0, 0], stateKeys_K: ['s0', 'a', 'c'] },
  { reward: 1, rewards_K: [0, 0, 1], stateKeys_K: ['s0', 'd', 'e'] },
  { reward: 0, rewards_K: [0, 0], stateKeys_K: ['s0', 'f'] },
];

describe('gigpo', () => {
  it('defaults: ω = 1, γ = 0.95', () => {
    expect(gigpoOptionsSchema.parse({})).toEqual({ omega: 1, gamma: 0.95, eps: 1e-6 });
  });

  it('worked example (γ 0.5, ω 1, ε 0)', () => {
    // A^E: rewards [1, 0, 1, 0] → mean 0.5, std 0.5 → [1, −1, 1, −1]
    // returns: rollout 0 [0 + 0.5·(0 + 0.5·1), 0 + 0.5·1, 1] = [0.25, 0.5, 1]; rollout 1 [0, 0, 0];
    //          rollout 2 [0.25, 0.5, 1]; rollout 3 [0, 0]
    // s0: G = [0.25, 0, 0.25, 0] → mean 0.125, std 0.125 → A^S = [1, −1, 1, −1]
    // a: G = [0.5, 0] → mean 0.25, std 0.25 → A^S = [1, −1]; b, c, d, e, f have one member → 0
    // A = A^E + A^S: [1+1, 1+1, 1+0], [−1−1, −1−1, −1+0], [1+1, 1+0, 1+0], [−1−1, −1+0]
    const out = gigpo(example, { gamma: 0.5, eps: 0 });
    close(out.advantages_GK, [
      [2, 2, 1],
      [-2, -2, -1],
      [2, 1, 1],
      [-2, -1],
    ]);
    expect(out.stepGroups).toBe(2); // s0 and a
    expect(out.matchedTurns).toBe(6); // 4 in s0, 2 in a
    expect(out.totalTurns).toBe(11); // 3 + 3 + 3 + 2
    expect(out.kept).toBe(true);
  });

  it('ω scales only the step term', () => {
    // same as above with ω = 0.5: A^S halves
    const out = gigpo(example, { gamma: 0.5, omega: 0.5, eps: 0 });
    close(out.advantages_GK, [
      [1.5, 1.5, 1],
      [-1.5, -1.5, -1],
      [1.5, 1, 1],
      [-1.5, -1],
    ]);
  });

  it('default γ = 0.95 and ε = 1e-6 on the step group s0', () => {
    // returns at s0: rollouts 0 and 2: 0.95² · 1 = 0.9025; rollouts 1 and 3: 0 → mean 0.45125, std 0.45125
    // → A^S = ±0.45125/(0.45125 + ε); at a: [0.95, 0] → ±0.475/(0.475 + ε); A^E = ±0.5/(0.5 + ε)
    const e = 0.5 / (0.5 + 1e-6);
    const s0 = 0.45125 / (0.45125 + 1e-6);
    const a = 0.475 / (0.475 + 1e-6);
    const out = gigpo(example);
    close(out.advantages_GK, [
      [e + s0, e + a, e],
      [-e - s0, -e - a, -e],
      [e + s0, e, e],
      [-e - s0, -e],
    ]);
  });

  it('no matches: exactly the episode advantage on every turn', () => {
    const group: GigpoRollout[] = [
      { reward: 1, rewards_K: [0, 1], stateKeys_K: ['p', 'q'] },
      { reward: 0, rewards_K: [0], stateKeys_K: ['r'] },
      { reward: 0.5, rewards_K: [0.2, 0.3], stateKeys_K: ['s', 't'] },
    ];
    const episode_G = grpo([1, 0, 0.5]);
    const out = gigpo(group);
    expect(out.advantages_GK).toEqual([[episode_G[0], episode_G[0]], [episode_G[1]], [episode_G[2], episode_G[2]]]);
    expect(out).toMatchObject({ stepGroups: 0, matchedTurns: 0, totalTurns: 5, kept: true });
  });

  it('a matched group with identical returns adds nothing but is counted', () => {
    // A^E: rewards [1, 0] → [1, −1]. Both rollouts have r = [0, 1] (γ 0.5) → G = [0.5, 1]:
    //   s0 returns [0.5, 0.5] and k returns [1, 1] are identical → A^S = 0 → A = A^E on every turn
    const out = gigpo(
      [
        { reward: 1, rewards_K: [0, 1], stateKeys_K: ['s0', 'k'] },
        { reward: 0, rewards_K: [0, 1], stateKeys_K: ['s0', 'k'] },
      ],
      { gamma: 0.5, eps: 0 },
    );
    expect(out.advantages_GK).toEqual([
      [1, 1],
      [-1, -1],
    ]);
    expect(out).toMatchObject({ stepGroups: 2, matchedTurns: 4, totalTurns: 4, kept: true });
  });

  it('equal trajectory rewards but differing step returns: only the step term, kept', () => {
    // rewards [1, 1] → A^E = 0; one-turn rollouts, so s0 returns = r = [1, 0] → mean 0.5, std 0.5 → ±1
    const out = gigpo(
      [
        { reward: 1, rewards_K: [1], stateKeys_K: ['s0'] },
        { reward: 1, rewards_K: [0], stateKeys_K: ['s0'] },
      ],
      { eps: 0 },
    );
    expect(out.advantages_GK).toEqual([[1], [-1]]);
    expect(out.kept).toBe(true);
  });

  it('no signal anywhere: all 0, not kept', () => {
    const out = gigpo([
      { reward: 1, rewards_K: [0, 1], stateKeys_K: ['s0', 'x'] },
      { reward: 1, rewards_K: [0, 1], stateKeys_K: ['s0', 'y'] },
    ]);
    expect(out.advantages_GK).toEqual([
      [0, 0],
      [0, 0],
    ]);
    expect(out).toMatchObject({ kept: false, stepGroups: 1, matchedTurns: 2, totalTurns: 4 });
  });

  it('a state revisited within one rollout joins the same step group', () => {
    // one rollout, r = [0, 1], both turns start from z (γ 0.5): G = [0.5, 1] → mean 0.75, std 0.25 → [−1, 1]
    const out = gigpo([{ reward: 1, rewards_K: [0, 1], stateKeys_K: ['z', 'z'] }], { gamma: 0.5, eps: 0 });
    expect(out.advantages_GK).toEqual([[-1, 1]]);
    expect(out).toMatchObject({ stepGroups: 1, matchedTurns: 2 });
  });

  it('refuses misaligned per-turn arrays', () => {
    expect(() => gigpo([{ reward: 1, rewards_K: [0, 1], stateKeys_K: ['s0'] }])).toThrow(/lengths differ/);
  });
});
