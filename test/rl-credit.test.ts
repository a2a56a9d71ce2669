import { describe, expect, it } from 'vitest';
import type { Trajectory, TurnVerdict } from '../src/episode/trajectory.ts';
import { assignCredit, turnScores } from '../src/rl/credit.ts';
import { advantageConfigSchema } from '../src/rl/estimator-config.ts';
import { rewardShapingSchema } from '../src/rl/reward-shaping.ts';
import { stateKeys } from '../src/rl/state-key.ts';

function rollout(outcome: number, scores: (-1 | 0 | 1)[] | null, domain = 'retail'): Trajectory {
  const steps = (scores ?? [0, 0]).map((_, turn) => ({ turn, action: { type: 'respond' as const, content: 'ok' }, messageIndex: turn, wallMs: 0 }));
  const t: Trajectory = {
    schema: 1, taskId: 't', domain, split: 'train', taskIndex: 0, trial: 0, seed: 0, agent: 'policy', user: 'scripted',
    messages: [], steps, termination: 'user_stop', reward: outcome, usage: { agent: { promptTokens: 0, completionTokens: 0, costUsd: 0 }, user: { promptTokens: 0, completionTokens: 0, costUsd: 0 } },
    wallMs: 0, startedAt: '',
  };
  if (scores) t.judge = { judge: 'oracle', status: 'ok', verdicts: scores.map((score, turn): TurnVerdict => ({ turn, score, rationale: '' })) };
  return t;
}

describe('assignCredit', () => {
  it('TARL reward R = o + 10·mean(s), then GRPO within the group (hand-computed)', () => {
    // R = [1 + 10·(1/2), 0 + 10·(−1/2)] = [6, −5]; mean 0.5, population std 5.5 → A = [1, −1] (ε = 0)
    const r = assignCredit([[rollout(1, [1, 0]), rollout(0, [-1, 0])]], rewardShapingSchema.parse({}), advantageConfigSchema.parse({ group: { eps: 0 } }));
    expect(r.credits[0]!.map((c) => c.reward)).toEqual([6, -5]);
    expect(r.credits[0]![0]!.advantages_K).toEqual([1, 1]);
    expect(r.credits[0]![1]!.advantages_K).toEqual([-1, -1]);
    expect(r.credits[0]![0]!.rewards_K).toEqual([0, 6]); // placed on the last turn
  });

  it('drops all-equal groups and groups with an unjudged rollout (counted apart)', () => {
    const r = assignCredit(
      [
        [rollout(1, [1, 1]), rollout(1, [1, 1])],
        [rollout(1, [1, 1]), rollout(0, null)],
      ],
      rewardShapingSchema.parse({}),
      advantageConfigSchema.parse({}),
    );
    expect(r.dropped).toBe(1);
    expect(r.unjudged).toBe(1);
    expect(r.credits.flat().every((c) => !c.kept && c.advantages_K.every((a) => a === 0))).toBe(true);
  });

  it('outcome mode needs no judge; math episodes score their single turn 0', () => {
    const math = rollout(1, null, 'math');
    expect(turnScores(math)).toEqual([0, 0]);
    const r = assignCredit([[rollout(1, null), rollout(0, null)]], rewardShapingSchema.parse({ mode: 'outcome' }), advantageConfigSchema.parse({ group: { eps: 0 } }));
    expect(r.credits[0]!.map((c) => c.advantages_K[0])).toEqual([1, -1]);
  });

  it('turn-level estimator gives per-turn advantages from the outcome and the turn scores', () => {
    const r = assignCredit([[rollout(1, [1, 1]), rollout(0, [1, -1])]], rewardShapingSchema.parse({ mode: 'outcome' }), advantageConfigSchema.parse({ estimator: 'turn', turn: { eps: 0, gamma: 1, lambda: 0.5 } }));
    // Â^O = [1, −1]; R^T = [2, 1] and [0, −1]: pool mean 0.5, std √1.25 → Â^T = (R^T − 0.5)/√1.25
    const s = Math.sqrt(1.25);
    const a = r.credits[0]!.map((c) => c.advantages_K);
    expect(a[0]![0]).toBeCloseTo(1 + 0.5 * (1.5 / s), 12);
    expect(a[1]![1]).toBeCloseTo(-1 + 0.5 * (-1.5 / s), 12);
  });
});

describe('stateKeys', () => {
  it('keys a turn on the reads made (order-free) and the writes done before it (the worked example)', () => {
    const t = rollout(0, [0, 0, 0, 0]);
    const tool = (name: string, args: string) => ({ type: 'tool' as const, name, arguments: args, callId: 'c' });
    t.steps[0] = { ...t.steps[0]!, action: tool('get_user', '{"user_id": "u1"}'), observation: '{}' };
    t.steps[1] = { ...t.steps[1]!, action: tool('get_order_details', '{"order_id": "#4"}'), observation: '{}' };
    t.steps[3] = { ...t.steps[3]!, action: tool('cancel_pending_order', '{"order_id": "#4"}'), observation: 'Error: no' };
    const k = stateKeys(t);
    expect(k[0]).toBe(JSON.stringify({ r: [], w: [] }));
    expect(k[2]).toBe(k[3]);
    expect(JSON.parse(k[2]!)).toEqual({ r: ['get_order_details({"order_id": "#4"})', 'get_user({"user_id": "u1"})'], w: [] });
  });
});
