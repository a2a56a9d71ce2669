import { z } from 'zod';
import { assertFinite, epsSchema, isConstant, mean, std } from './stats.ts';

/**
 * Episode-level advantage estimators: one scalar reward per rollout in, one advantage per rollout
 * out. A group (`_G`) is G rollouts of the same task; the RL core spreads each rollout's advantage
 * over that rollout's sampled tokens.
 *
 * - GRPO (DeepSeekMath):     A_i = (R_i − mean_G R) / (std_G R + ε)
 * - Dr. GRPO (Liu et al.):   A_i =  R_i − mean_G R   (no std: the std up-weights groups that are
 *                            nearly all-pass or all-fail, a difficulty bias)
 * - RLOO (Ahmadian et al.):  A_i =  R_i − mean_{j≠i} R_j = G/(G − 1)·(R_i − mean_G R)
 * - REINFORCE++ (Hu):        A_i = (R_i − mean_B R) / (std_B R + ε) over the whole batch B
 *
 * std is the population std (see stats.ts). A group whose rewards are all equal (within 1e-9)
 * gets exactly 0 rather than (float noise)/ε.
 *
 * Worked example: one success out of four, rewards_G = [1, 0, 0, 0], ε = 0:
 *   mean = 0.25, std = √(0.1875) = √3/4
 *   grpo    → [0.75/(√3/4), −0.25/(√3/4), …] = [√3, −1/√3, −1/√3, −1/√3] ≈ [1.732, −0.577, −0.577, −0.577]
 *   dr_grpo → [0.75, −0.25, −0.25, −0.25]
 *   rloo    → [1 − 0, 0 − 1/3, 0 − 1/3, 0 − 1/3] = [1, −1/3, −1/3, −1/3]
 */

export const groupEstimatorSchema = z
  .enum(['grpo', 'dr_grpo', 'rloo', 'reinforce_pp'])
  .describe('Episode-level estimator: grpo, dr_grpo (grpo without std), rloo (leave-one-out), reinforce_pp (batch-normalised)');
export type GroupEstimator = z.infer<typeof groupEstimatorSchema>;

export const groupOptionsSchema = z.object({
  stdScale: z
    .boolean()
    .default(true)
    .describe("grpo only: divide by the group's std (dr_grpo is grpo with this off; rloo never scales; reinforce_pp always does)"),
  eps: epsSchema,
});
export type GroupOptions = z.infer<typeof groupOptionsSchema>;

/** GRPO over one group; `stdScale: false` is Dr. GRPO's advantage. A constant group gives 0s. */
export function grpo(rewards_G: readonly number[], opts: z.input<typeof groupOptionsSchema> = {}): number[] {
  const { stdScale, eps } = groupOptionsSchema.parse(opts);
  assertFinite(rewards_G, 'rewards_G');
  if (isConstant(rewards_G)) return rewards_G.map(() => 0);
  const m = mean(rewards_G);
  const scale = stdScale ? std(rewards_G) + eps : 1;
  return rewards_G.map((r) => (r - m) / scale);
}

/**
 * RLOO: each rollout's baseline is the mean of the others, so the baseline does not depend on
 * the rollout it judges (unbiased). A single-sample group has no others and gives 0.
 */
export function rloo(rewards_G: readonly number[]): number[] {
  assertFinite(rewards_G, 'rewards_G');
  const G = rewards_G.length;
  if (G < 2 || isConstant(rewards_G)) return rewards_G.map(() => 0);
  let sum = 0;
  for (const r of rewards_G) sum += r;
  return rewards_G.map((r) => r - (sum - r) / (G - 1));
}

/**
 * REINFORCE++: normalise over every rollout of the step (`_B`), not per group. The baseline is
 * the batch mean, so even a group whose rollouts all scored the same sits above or below it.
 */
export function reinforcePlusPlus(rewards_B: readonly number[], opts: { eps?: number } = {}): number[] {
  const eps = epsSchema.parse(opts.eps);
  assertFinite(rewards_B, 'rewards_B');
  if (isConstant(rewards_B)) return rewards_B.map(() => 0);
  const m = mean(rewards_B);
  const s = std(rewards_B);
  return rewards_B.map((r) => (r - m) / (s + eps));
}

export interface GroupAdvantages {
  /** One array per group, one advantage per rollout; all 0 for a dropped group. */
  advantages: number[][];
  /** kept[g] is false when group g carries no signal and was dropped. */
  kept: boolean[];
  /** Number of dropped groups (log it: a rising count means the tasks are too easy or too hard). */
  dropped: number;
}

/**
 * Advantages for a batch of groups (`groups[g][i]` = reward of rollout i of group g).
 *
 * grpo, dr_grpo and rloo compare rollouts within a group, so a group whose rewards are all equal
 * (|max − min| ≤ 1e-9) carries no signal and is dropped, as is a group of one rollout (nothing to
 * compare it with) and an empty group. reinforce_pp normalises over all groups together and
 * keeps every non-empty group: its baseline is the batch mean, so an all-pass group of an easy
 * task still gets a positive advantage and an all-fail group a negative one (the whole batch
 * constant gives 0 everywhere, kept).
 *
 * Worked example: groups = [[1, 0, 0, 0], [1, 1, 1, 1]], ε = 0
 *   grpo         → [[√3, −1/√3, −1/√3, −1/√3], [0, 0, 0, 0]], kept [true, false], dropped 1
 *   reinforce_pp → B = [1,0,0,0,1,1,1,1]: mean 5/8, std √(5/8·3/8) = √15/8;
 *                  1 → (3/8)/(√15/8) = 3/√15 ≈ 0.775,  0 → −5/√15 ≈ −1.291; both groups kept.
 */
export function groupAdvantages(
  groups: readonly (readonly number[])[],
  cfg: { estimator: GroupEstimator } & z.input<typeof groupOptionsSchema>,
): GroupAdvantages {
  const estimator = groupEstimatorSchema.parse(cfg.estimator);
  const opts = groupOptionsSchema.parse(cfg);
  const zeros = (g: readonly number[]) => g.map(() => 0);

  if (estimator === 'reinforce_pp') {
    const flat_B = reinforcePlusPlus(groups.flat(), opts);
    let at = 0;
    const advantages = groups.map((g) => flat_B.slice(at, (at += g.length)));
    const kept = groups.map((g) => g.length > 0);
    return { advantages, kept, dropped: kept.filter((k) => !k).length };
  }

  const advantages: number[][] = [];
  const kept: boolean[] = [];
  for (const rewards_G of groups) {
    assertFinite(rewards_G, 'rewards_G');
    const keep = rewards_G.length >= 2 && !isConstant(rewards_G);
    kept.push(keep);
    if (!keep) advantages.push(zeros(rewards_G));
    else if (estimator === 'rloo') advantages.push(rloo(rewards_G));
    else advantages.push(grpo(rewards_G, { stdScale: estimator === 'grpo' && opts.stdScale, eps: opts.eps }));
  }
  return { advantages, kept, dropped: kept.filter((k) => !k).length };
}
