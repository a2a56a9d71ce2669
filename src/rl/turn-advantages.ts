import { z } from 'zod';
import { grpo } from './advantages.ts';
import { assertFinite, epsSchema, isConstant } from './stats.ts';

/**
 * Turn-level credit (MT-GRPO, Zeng et al. 2025; IRC, arXiv 2604.02869): an outcome advantage per
 * rollout plus a damped, group-normalised advantage per agent turn from the judge's turn scores.
 *
 * For a group of G rollouts, rollout i with verifier outcome o_i and judge scores s_{i,k}
 * (k = 0 … K_i − 1; K_i differs between rollouts):
 *   Â^O_i    = (o_i − mean_G o) / (std_G o + ε)                   (GRPO over the outcomes)
 *   R^T_{i,k} = Σ_{j≥k} γ^{j−k} s_{i,j}                          (discounted score-to-go)
 *   Â^T_{i,k} = (R^T_{i,k} − μ) / (σ + ε),  μ, σ over the pool {R^T_{i,k}} of every turn of every
 *              rollout of the group
 *   A_{i,k}   = Â^O_i + λ·Â^T_{i,k}
 *
 * Why pooled: in a multi-turn episode turn k of one rollout and turn k of another are not the
 * same decision (one may be answering the user while the other is calling a tool), so there is
 * no per-position group to normalise over; the pool compares every turn with every other turn
 * of the same task. Why damped (λ = 0.25 by default, keep λ ≤ 0.5): undamped per-turn terms
 * cost up to 14 points on τ-airline in IRC; the outcome must stay the dominant signal.
 *
 * When all outcomes are equal Â^O = 0; when all R^T are equal Â^T = 0; a group where both are
 * constant carries no signal and is dropped (`kept: false`, all 0). A single-rollout group keeps
 * its turn term when its turns' R^T differ (the pool still has something to compare).
 *
 * Worked example (γ = 0.5, λ = 0.25, ε = 0), two rollouts:
 *   rollout 0: o = 1, s = [1, 0, 1]  → R^T = [1 + 0.5·0.5, 0 + 0.5·1, 1] = [1.25, 0.5, 1]
 *   rollout 1: o = 0, s = [−1, 0]    → R^T = [−1 + 0.5·0, 0]          = [−1, 0]
 *   Â^O = [1, −1]
 *   pool [1.25, 0.5, 1, −1, 0]: μ = 1.75/5 = 0.35, σ² = (0.81 + 0.0225 + 0.4225 + 1.8225 + 0.1225)/5
 *     = 0.64, σ = 0.8  →  Â^T = [1.125, 0.1875, 0.8125], [−1.6875, −0.4375]
 *   A = [1.28125, 1.046875, 1.203125], [−1.421875, −1.109375]
 */

export const turnOptionsSchema = z.object({
  gamma: z.number().min(0).max(1).default(0.9).describe('γ: discount of later turn scores in the score-to-go R^T'),
  lambda: z
    .number()
    .min(0)
    .default(0.25)
    .describe('λ: weight of the turn term against the outcome term (keep ≤ 0.5: undamped turn terms hurt τ-airline in IRC)'),
  eps: epsSchema,
});
export type TurnOptions = z.infer<typeof turnOptionsSchema>;

export interface TurnRollout {
  /** The verifier's outcome (or any episode reward) of the rollout. */
  outcome: number;
  /** One judge score per agent turn, in turn order. */
  scores_K: readonly number[];
}

export interface TurnAdvantages {
  /** advantages_GK[i][k]: advantage of turn k of rollout i (spread over that turn's sampled tokens). */
  advantages_GK: number[][];
  /** False when outcomes and turn returns were both constant: no signal, all 0. */
  kept: boolean;
}

/**
 * Discounted reward-to-go per turn: returns_K[k] = Σ_{j≥k} γ^{j−k} rewards_K[j].
 * Example: rewards [1, 0, 1], γ = 0.5 → [1.25, 0.5, 1].
 */
export function discountedReturns(rewards_K: readonly number[], gamma: number): number[] {
  const returns_K = new Array<number>(rewards_K.length);
  let acc = 0;
  for (let k = rewards_K.length - 1; k >= 0; k--) {
    acc = rewards_K[k]! + gamma * acc;
    returns_K[k] = acc;
  }
  return returns_K;
}

/** Turn-level advantages for one group of rollouts of the same task (see the module comment). */
export function turnAdvantages(group_G: readonly TurnRollout[], opts: z.input<typeof turnOptionsSchema> = {}): TurnAdvantages {
  const { gamma, lambda, eps } = turnOptionsSchema.parse(opts);
  group_G.forEach((r, i) => assertFinite(r.scores_K, `group[${i}].scores_K`));

  const outcomes_G = group_G.map((r) => r.outcome);
  const returns_GK = group_G.map((r) => discountedReturns(r.scores_K, gamma));
  const pool = returns_GK.flat();
  const outcomeAdv_G = grpo(outcomes_G, { stdScale: true, eps });
  const turnAdv_pool = grpo(pool, { stdScale: true, eps }); // 0s when the pool is constant

  let at = 0;
  const advantages_GK = returns_GK.map((returns_K, i) => returns_K.map(() => outcomeAdv_G[i]! + lambda * turnAdv_pool[at++]!));
  const kept = !isConstant(outcomes_G) || !isConstant(pool);
  return { advantages_GK, kept };
}
