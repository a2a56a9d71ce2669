import { z } from 'zod';
import { grpo } from './advantages.ts';
import { assertFinite, assertSameLength, epsSchema, isConstant } from './stats.ts';
import { discountedReturns } from './turn-advantages.ts';

/**
 * GiGPO (Feng et al. 2025, verl-agent): group-in-group credit. An episode advantage per rollout
 * plus a step advantage that compares turns which start from the same state.
 *
 *   A^E_i     = GRPO over the group's trajectory rewards R_i
 *   G_{i,k}   = Σ_{j≥k} γ^{j−k} r_{i,j}              (discounted return from turn k)
 *   step group = every turn (i, k) of the group with the same `stateKey` (any i, any k)
 *   A^S_{i,k} = (G_{i,k} − mean) / (std + ε) over its step group, when the group has ≥ 2 members
 *              whose returns are not all equal; otherwise 0
 *   A_{i,k}   = A^E_i + ω·A^S_{i,k}
 *
 * The caller derives `stateKey` from the world-state hash plus the tool-call history: free-text
 * turns rarely repeat, so the raw observation would almost never match, whereas the same calls
 * on the same database reach the same state. In practice every rollout's first turn shares a key
 * and matches thin out as histories diverge; a turn without a match falls back to A^E alone.
 *
 * Worked example (γ = 0.5, ω = 1, ε = 0), four rollouts, r = per-turn rewards:
 *   0: R = 1, r = [0, 0, 1], keys [s0, a, b]      2: R = 1, r = [0, 0, 1], keys [s0, d, e]
 *   1: R = 0, r = [0, 0, 0], keys [s0, a, c]      3: R = 0, r = [0, 0],    keys [s0, f]
 *   A^E = [1, −1, 1, −1]
 *   s0: G = [0.25, 0, 0.25, 0] → mean 0.125, std 0.125 → A^S = [1, −1, 1, −1]
 *   a:  G = [0.5 (rollout 0), 0 (rollout 1)] → A^S = [1, −1];  b, c, d, e, f: alone → 0
 *   A = [2, 2, 1], [−2, −2, −1], [2, 1, 1], [−2, −1]
 *   counters: stepGroups 2 (s0, a), matchedTurns 6, totalTurns 11
 */

export const gigpoOptionsSchema = z.object({
  omega: z.number().min(0).default(1).describe('ω: weight of the step advantage A^S against the episode advantage A^E'),
  gamma: z.number().min(0).max(1).default(0.95).describe('γ: discount of later per-turn rewards in the step return G'),
  eps: epsSchema,
});
export type GigpoOptions = z.infer<typeof gigpoOptionsSchema>;

export interface GigpoRollout {
  /** The trajectory reward R_i (what GRPO would use). */
  reward: number;
  /** One reward per agent turn r_{i,k}, in turn order. */
  rewards_K: readonly number[];
  /** One state key per agent turn: the state the turn starts from (world hash + tool-call history). */
  stateKeys_K: readonly string[];
}

export interface GigpoResult {
  /** advantages_GK[i][k]: advantage of turn k of rollout i. */
  advantages_GK: number[][];
  /** False when every advantage is 0: trajectory rewards constant and no step group with differing returns. */
  kept: boolean;
  /** Step groups with ≥ 2 turns (whether or not their returns differ). */
  stepGroups: number;
  /** Turns that belong to such a step group. */
  matchedTurns: number;
  /** All agent turns of the group. */
  totalTurns: number;
}

/** GiGPO advantages for one group of rollouts of the same task (see the module comment). */
export function gigpo(group_G: readonly GigpoRollout[], opts: z.input<typeof gigpoOptionsSchema> = {}): GigpoResult {
  const { omega, gamma, eps } = gigpoOptionsSchema.parse(opts);
  group_G.forEach((r, i) => {
    assertSameLength(r.rewards_K, r.stateKeys_K, `group[${i}] rewards_K vs stateKeys_K`);
    assertFinite(r.rewards_K, `group[${i}].rewards_K`);
  });

  const episode_G = grpo(
    group_G.map((r) => r.reward),
    { stdScale: true, eps },
  );
  const returns_GK = group_G.map((r) => discountedReturns(r.rewards_K, gamma));

  // Step groups: state key → the (rollout, turn) positions that start from it.
  const members = new Map<string, [number, number][]>();
  group_G.forEach((r, i) =>
    r.stateKeys_K.forEach((key, k) => {
      const list = members.get(key);
      if (list) list.push([i, k]);
      else members.set(key, [[i, k]]);
    }),
  );

  const step_GK = returns_GK.map((returns_K) => returns_K.map(() => 0));
  let stepGroups = 0;
  let matchedTurns = 0;
  let stepSignal = false;
  for (const turns of members.values()) {
    if (turns.length < 2) continue;
    stepGroups++;
    matchedTurns += turns.length;
    const returns = turns.map(([i, k]) => returns_GK[i]![k]!);
    if (isConstant(returns)) continue; // identical returns: nothing to tell these turns apart
    stepSignal = true;
    const stepAdv = grpo(returns, { stdScale: true, eps });
    turns.forEach(([i, k], n) => (step_GK[i]![k] = stepAdv[n]!));
  }

  const advantages_GK = step_GK.map((step_K, i) => step_K.map((a) => episode_G[i]! + omega * a));
  const kept = stepSignal || !isConstant(group_G.map((r) => r.reward));
  const totalTurns = group_G.reduce((n, r) => n + r.rewards_K.length, 0);
  return { advantages_GK, kept, stepGroups, matchedTurns, totalTurns };
}
