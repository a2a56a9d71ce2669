import type { Trajectory } from '../episode/trajectory.ts';
import { groupAdvantages } from './advantages.ts';
import type { AdvantageConfig } from './estimator-config.ts';
import { gigpo } from './gigpo.ts';
import { shapeRewards, type RewardShaping, type TurnScore } from './reward-shaping.ts';
import { stateKeys } from './state-key.ts';
import { turnAdvantages } from './turn-advantages.ts';

/** What the update assigns to one rollout. */
export interface Credit {
  /** Trajectory reward R = Σ_k rewards_K (reward shaping): o for `outcome`, o + λ·agg(s) for `tarl`. */
  reward: number;
  /** Per-turn rewards (shaping placed on turns); GAE puts each on its turn's last token. */
  rewards_K: number[];
  /** Per-turn advantages; empty for `gae`, whose advantages are per token (from the critic). */
  advantages_K: number[];
  /** False when its group carried no signal (dropped) or could not be scored. */
  kept: boolean;
}

export interface CreditResult {
  /** credits[g][i]: rollout i of group g. */
  credits: Credit[][];
  /** Groups dropped because every rollout got the same reward (no signal). */
  dropped: number;
  /** Groups dropped because a rollout's judge failed (its turn scores are unknown). */
  unjudged: number;
  gigpo?: { stepGroups: number; matchedTurns: number; totalTurns: number };
}

/**
 * The judge's turn scores of a rollout, one per agent turn, or null when it has none. A math
 * episode has no judge: its one turn scores 0, so its shaped reward is its outcome.
 */
export function turnScores(t: Trajectory): TurnScore[] | null {
  const K = t.steps.length;
  if (t.domain === 'math') return new Array<TurnScore>(K).fill(0);
  if (!t.judge || t.judge.status !== 'ok') return null;
  const scores = new Array<TurnScore>(K).fill(0);
  for (const v of t.judge.verdicts) if (v.turn >= 0 && v.turn < K) scores[v.turn] = v.score;
  return t.judge.verdicts.length === K ? scores : null;
}

/**
 * Rewards and advantages for a step's groups (design.md §6). Reward shaping turns (outcome,
 * turn scores) into per-turn rewards and one trajectory reward; the estimator turns a group's
 * rewards into per-turn advantages:
 *   grpo, dr_grpo, rloo, reinforce_pp  one advantage per rollout, on every turn;
 *   turn                               A_k = Â^O + λ·Â^T_k from the outcome and the turn scores;
 *   gigpo                              A = A^E + ω·A^S with step groups keyed on the state;
 *   gae                                none here (per token, from the critic's values).
 * Modes that need turn scores drop a group with an unjudged rollout (counted), never guess.
 */
export function assignCredit(
  groups: readonly (readonly Trajectory[])[],
  reward: RewardShaping,
  adv: AdvantageConfig,
  /** Per rollout, a penalty taken off its last turn's reward (the KL to the reference, β·Σ log π/π_ref). */
  penalties_GI?: readonly (readonly number[])[],
): CreditResult {
  const needsScores = reward.mode !== 'outcome' || adv.estimator === 'turn';
  if (penalties_GI && adv.estimator === 'turn') throw new Error("a KL penalty in the reward needs an estimator over shaped rewards (the 'turn' estimator reads the outcome and the scores)");
  let unjudged = 0;
  const scored = groups.map((g, gi) => {
    const rows = g.map((t, i) => {
      const scores = turnScores(t);
      const K = t.steps.length;
      const rewards_K = shapeRewards(t.reward, reward.mode === 'outcome' ? null : scores ?? new Array<TurnScore>(K).fill(0), reward, K);
      const penalty = penalties_GI?.[gi]?.[i] ?? 0;
      if (penalty !== 0 && K > 0) rewards_K[K - 1]! -= penalty;
      return { t, scores, rewards_K, reward: rewards_K.reduce((a, b) => a + b, 0) };
    });
    const ok = !needsScores || rows.every((r) => r.scores !== null);
    if (!ok) unjudged++;
    return { rows, ok };
  });
  const zero = (t: Trajectory): number[] => new Array<number>(t.steps.length).fill(0);
  const out: CreditResult = { credits: [], dropped: 0, unjudged };

  if (adv.estimator === 'gae') {
    out.credits = scored.map(({ rows, ok }) => rows.map((r) => ({ reward: r.reward, rewards_K: r.rewards_K, advantages_K: [], kept: ok })));
    return out;
  }
  if (adv.estimator === 'turn' || adv.estimator === 'gigpo') {
    const counters = { stepGroups: 0, matchedTurns: 0, totalTurns: 0 };
    out.credits = scored.map(({ rows, ok }) => {
      if (!ok) return rows.map((r) => ({ reward: r.reward, rewards_K: r.rewards_K, advantages_K: zero(r.t), kept: false }));
      let res: { advantages_GK: number[][]; kept: boolean };
      if (adv.estimator === 'turn') res = turnAdvantages(rows.map((r) => ({ outcome: r.t.reward, scores_K: r.scores ?? zero(r.t) })), adv.turn);
      else {
        const g = gigpo(rows.map((r) => ({ reward: r.reward, rewards_K: r.rewards_K, stateKeys_K: stateKeys(r.t) })), adv.gigpo);
        counters.stepGroups += g.stepGroups;
        counters.matchedTurns += g.matchedTurns;
        counters.totalTurns += g.totalTurns;
        res = g;
      }
      if (!res.kept) out.dropped++;
      return rows.map((r, i) => ({ reward: r.reward, rewards_K: r.rewards_K, advantages_K: res.advantages_GK[i]!, kept: res.kept }));
    });
    if (adv.estimator === 'gigpo') out.gigpo = counters;
    return out;
  }
  // Episode-level estimators: only scoreable groups take part (reinforce_pp normalises over them).
  const usable = scored.filter((s) => s.ok);
  const res = groupAdvantages(
    usable.map((s) => s.rows.map((r) => r.reward)),
    { estimator: adv.estimator, ...adv.group },
  );
  out.dropped = res.dropped;
  let u = 0;
  out.credits = scored.map(({ rows, ok }) => {
    if (!ok) return rows.map((r) => ({ reward: r.reward, rewards_K: r.rewards_K, advantages_K: zero(r.t), kept: false }));
    const a_G = res.advantages[u]!;
    const kept = res.kept[u++]!;
    return rows.map((r, i) => ({ reward: r.reward, rewards_K: r.rewards_K, advantages_K: new Array<number>(r.t.steps.length).fill(a_G[i]!), kept }));
  });
  return out;
}
