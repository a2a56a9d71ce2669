import { z } from 'zod';

/**
 * Reward shaping: from the verifier outcome and the judge's turn scores to one reward per agent
 * turn (`rewards_T`, indexed by turn). The RL core places each turn's reward on that turn's
 * tokens. Success metrics never read these numbers (design.md invariant 5).
 *
 * Modes:
 * - `outcome`: the outcome on the last turn, 0 elsewhere (plain outcome RL).
 * - `tarl`: the paper's stable variant. Turn scores s_t are aggregated (`sum` or `mean`) and
 *   combined with the outcome o into one trajectory reward R, placed on the last turn:
 *     formula `outcome+lambda*agg`:  R = o + λ·agg(s)
 *     formula `lambda*outcome+agg`:  R = λ·o + agg(s)
 *   The paper reports a "10× scaling of the turn-level scores"; our default reads that as the
 *   first formula with λ = 10 and `mean` (so turn evidence outweighs a single 0/1 outcome
 *   without growing with episode length). The exact published formula is unknown: all three
 *   are knobs.
 * - `turn`: each turn's score is that turn's reward, plus the outcome on the last turn (the
 *   paper found this placement less stable; kept for comparison).
 *
 * Worked example: scores [+1, 0, −1, +1], outcome 0, λ = 10:
 *   outcome → [0, 0, 0, 0];  tarl/mean → [0, 0, 0, 2.5];  tarl/sum → [0, 0, 0, 10];
 *   turn → [1, 0, −1, 1].
 */
export const rewardShapingSchema = z.object({
  mode: z.enum(['outcome', 'tarl', 'turn']).default('tarl'),
  formula: z.enum(['outcome+lambda*agg', 'lambda*outcome+agg']).default('outcome+lambda*agg'),
  lambda: z.number().finite().default(10),
  aggregation: z.enum(['sum', 'mean']).default('mean'),
});
export type RewardShaping = z.infer<typeof rewardShapingSchema>;

export type TurnScore = -1 | 0 | 1;

export function aggregate(scores: readonly TurnScore[], how: RewardShaping['aggregation']): number {
  if (scores.length === 0) return 0;
  const sum = scores.reduce<number>((a, b) => a + b, 0);
  return how === 'sum' ? sum : sum / scores.length;
}

/** The single trajectory reward of `tarl` mode. */
export function tarlReward(outcome: number, scores: readonly TurnScore[], cfg: RewardShaping): number {
  const agg = aggregate(scores, cfg.aggregation);
  return cfg.formula === 'outcome+lambda*agg' ? outcome + cfg.lambda * agg : cfg.lambda * outcome + agg;
}

/**
 * Per-turn rewards for an episode of `scores.length` agent turns (one score per turn). For
 * `outcome` mode the scores may be omitted; pass `turns` then.
 */
export function shapeRewards(
  outcome: number,
  scores: readonly TurnScore[] | null,
  cfg: RewardShaping,
  turns = scores?.length ?? 0,
): number[] {
  if (cfg.mode !== 'outcome') {
    if (!scores) throw new Error(`reward mode '${cfg.mode}' needs turn scores (the episode was not judged)`);
    if (scores.length !== turns) throw new Error(`expected ${turns} turn scores, got ${scores.length}`);
  }
  const rewards_T = new Array<number>(turns).fill(0);
  if (turns === 0) return rewards_T;
  const last = turns - 1;
  switch (cfg.mode) {
    case 'outcome':
      rewards_T[last] = outcome;
      break;
    case 'tarl':
      rewards_T[last] = tarlReward(outcome, scores!, cfg);
      break;
    case 'turn':
      scores!.forEach((s, t) => (rewards_T[t] = s));
      rewards_T[last]! += outcome;
      break;
  }
  return rewards_T;
}
