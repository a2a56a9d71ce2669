import { describe, expect, it } from 'vitest';
import { groupAdvantages } from '../src/rl/advantages.ts';
import { advantageConfigSchema, aggregationSchema, mismatchSchema } from '../src/rl/estimator-config.ts';
import { gaeOverMask } from '../src/rl/gae.ts';
import { gigpo } from '../src/rl/gigpo.ts';
import { turnAdvantages } from '../src/rl/turn-advantages.ts';

describe('advantageConfigSchema', () => {
  it('defaults', () => {
    expect(advantageConfigSchema.parse({})).toEqual({
      estimator: 'grpo',
      group: { stdScale: true, eps: 1e-6 },
      turn: { gamma: 0.9, lambda: 0.25, eps: 1e-6 },
      gigpo: { omega: 1, gamma: 0.95, eps: 1e-6 },
      gae: { gamma: 1, lambda: 1, whiten: true },
    });
    expect(aggregationSchema.parse({})).toEqual({ mode: 'token_mean' });
    expect(mismatchSchema.parse({})).toEqual({ enabled: true, cap: 2, band: [0.5, 2] });
  });

  it('a partial sub-object keeps the other defaults', () => {
    const cfg = advantageConfigSchema.parse({ estimator: 'turn', turn: { lambda: 0.5 } });
    expect(cfg.turn).toEqual({ gamma: 0.9, lambda: 0.5, eps: 1e-6 });
  });

  it('rejects unknown estimators and out-of-range knobs', () => {
    expect(advantageConfigSchema.safeParse({ estimator: 'ppo' }).success).toBe(false);
    expect(advantageConfigSchema.safeParse({ turn: { gamma: 1.5 } }).success).toBe(false);
    expect(advantageConfigSchema.safeParse({ gigpo: { omega: -1 } }).success).toBe(false);
    expect(advantageConfigSchema.safeParse({ group: { eps: -1 } }).success).toBe(false);
  });

  it('each sub-object is what its function takes', () => {
    const cfg = advantageConfigSchema.parse({ group: { eps: 0 }, turn: { eps: 0 }, gigpo: { eps: 0 } });
    // grpo on [1, 0]: ±1 ; turn: outcomes [1, 0] with all-zero scores → ±1 ; gigpo without matches → ±1
    expect(groupAdvantages([[1, 0]], { estimator: 'grpo', ...cfg.group }).advantages).toEqual([[1, -1]]);
    expect(
      turnAdvantages(
        [
          { outcome: 1, scores_K: [0] },
          { outcome: 0, scores_K: [0] },
        ],
        cfg.turn,
      ).advantages_GK,
    ).toEqual([[1], [-1]]);
    expect(
      gigpo(
        [
          { reward: 1, rewards_K: [1], stateKeys_K: ['x'] },
          { reward: 0, rewards_K: [0], stateKeys_K: ['y'] },
        ],
        cfg.gigpo,
      ).advantages_GK,
    ).toEqual([[1], [-1]]);
    // γ = λ = 1: A = reward-to-go − V = 1 − 0.25
    expect(gaeOverMask([0, 1], [0, 0.25], [0, 1], cfg.gae).advantages_T).toEqual([0, 0.75]);
  });
});
