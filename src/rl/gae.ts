import { z } from 'zod';
import { assertFinite, assertMask, assertSameLength, epsSchema, isConstant, mean, std } from './stats.ts';

/**
 * Generalised advantage estimation (Schulman et al. 2016) for PPO with a critic, per token (`_T`).
 *
 *   δ_t = r_t + γ·V_{t+1} − V_t           (V_T = 0: the episode ends, nothing to bootstrap)
 *   A_t = δ_t + γλ·A_{t+1}                (A_T = 0)
 *   returns_t = A_t + V_t                 (the critic's regression target)
 *
 * Time steps are the agent's (trainable) tokens only, in order; environment tokens (tool output,
 * user turns, the system prompt) are skipped, as verl's `compute_gae_advantage_return` does with
 * its response mask in multi-turn. They are not actions the policy took, the critic is not
 * trained on them, and counting them as steps would discount a turn's credit by the length of
 * the tool output that follows it: credit would depend on how verbose the environment was. Each
 * turn's reward sits on that turn's last token (design §6), 0 on its other tokens.
 *
 * Defaults γ = 1, λ = 1 (verl's defaults): rewards are sparse and episodes hold hundreds to
 * thousands of agent tokens, so with λ < 1 credit decays as (γλ)^distance (0.95^500 ≈ 7e−12)
 * and early tokens would learn only from an untrained critic's guess; λ = 1 gives
 * A_t = (reward-to-go) − V_t, unbiased for any critic.
 *
 * Worked example: two turns of two agent tokens each, turn rewards 0.5 and 1 on each turn's last
 * token: rewards_T = [0, 0.5, 0, 1], values_T = [0.5, 0.5, 1, 0.5].
 *   γ = λ = 1:   returns = reward-to-go = [1.5, 1.5, 1, 1];  A = returns − V = [1, 1, 0, 0.5]
 *   γ = λ = 0.5 (γλ = 0.25):
 *     δ_3 = 1 + 0 − 0.5 = 0.5            A_3 = 0.5
 *     δ_2 = 0 + 0.5·0.5 − 1 = −0.75      A_2 = −0.75 + 0.25·0.5 = −0.625
 *     δ_1 = 0.5 + 0.5·1 − 0.5 = 0.5      A_1 = 0.5 + 0.25·(−0.625) = 0.34375
 *     δ_0 = 0 + 0.5·0.5 − 0.5 = −0.25    A_0 = −0.25 + 0.25·0.34375 = −0.1640625
 *     returns = A + V = [0.3359375, 0.84375, 0.375, 1]
 */

export const gaeOptionsSchema = z.object({
  gamma: z.number().min(0).max(1).default(1).describe('γ: discount per agent token'),
  lambda: z.number().min(0).max(1).default(1).describe('λ: GAE bias/variance trade-off (1 = Monte Carlo return minus V)'),
});
export type GaeOptions = z.infer<typeof gaeOptionsSchema>;

export interface Gae {
  advantages_T: number[];
  returns_T: number[];
}

/** GAE over the agent tokens of one episode (see the module comment). */
export function gae(rewards_T: readonly number[], values_T: readonly number[], opts: z.input<typeof gaeOptionsSchema> = {}): Gae {
  const { gamma, lambda } = gaeOptionsSchema.parse(opts);
  assertSameLength(rewards_T, values_T, 'gae rewards_T vs values_T');
  assertFinite(rewards_T, 'rewards_T');
  assertFinite(values_T, 'values_T');
  const T = rewards_T.length;
  const advantages_T = new Array<number>(T);
  const returns_T = new Array<number>(T);
  let nextValue = 0; // terminal bootstrap
  let nextAdv = 0;
  for (let t = T - 1; t >= 0; t--) {
    const v = values_T[t]!;
    const delta = rewards_T[t]! + gamma * nextValue - v;
    nextAdv = delta + gamma * lambda * nextAdv;
    advantages_T[t] = nextAdv;
    returns_T[t] = nextAdv + v;
    nextValue = v;
  }
  return { advantages_T, returns_T };
}

/**
 * GAE over a whole rendered sequence: gathers the tokens with mask 1, runs `gae` over them, and
 * scatters back, with advantage and return 0 where the mask is 0. Values at masked positions are
 * ignored; a non-zero reward there would be lost, so it is an error.
 *
 * Example: mask [0, 1, 1, 0, 0, 1, 1], rewards [0, 0, 0.5, 0, 0, 0, 1], values [9, 0.5, 0.5, 9, 9, 1, 0.5]
 *   → the agent tokens are the worked example of `gae`; A = [0, 1, 1, 0, 0, 0, 0.5] at γ = λ = 1.
 */
export function gaeOverMask(
  rewards_T: readonly number[],
  values_T: readonly number[],
  mask_T: readonly number[],
  opts: z.input<typeof gaeOptionsSchema> = {},
): Gae {
  assertSameLength(rewards_T, mask_T, 'gaeOverMask rewards_T vs mask_T');
  assertSameLength(values_T, mask_T, 'gaeOverMask values_T vs mask_T');
  assertMask(mask_T, 'mask_T');
  const at: number[] = [];
  mask_T.forEach((m, t) => {
    if (m === 1) at.push(t);
    else if (rewards_T[t] !== 0) throw new Error(`reward ${rewards_T[t]} on masked token ${t}: put it on the turn's last agent token`);
  });
  const inner = gae(
    at.map((t) => rewards_T[t]!),
    at.map((t) => values_T[t]!),
    opts,
  );
  const advantages_T = new Array<number>(mask_T.length).fill(0);
  const returns_T = new Array<number>(mask_T.length).fill(0);
  at.forEach((t, n) => {
    advantages_T[t] = inner.advantages_T[n]!;
    returns_T[t] = inner.returns_T[n]!;
  });
  return { advantages_T, returns_T };
}

/**
 * Masked whitening (x − mean)/(std + ε) with mean and population std over the positions where
 * mask = 1; 0 where mask = 0 (and everywhere when the masked values are constant). PPO whitens
 * GAE advantages over the batch's trainable tokens so the step size does not follow the reward
 * scale. Concatenate the batch's sequences (and their masks) to whiten over the batch.
 *
 * Example: x = [1, 99, 3], mask = [1, 0, 1], ε = 0 → mean 2, std 1 → [−1, 0, 1].
 */
export function whiten(x_T: readonly number[], mask_T: readonly number[], opts: { eps?: number } = {}): number[] {
  const eps = epsSchema.parse(opts.eps);
  assertSameLength(x_T, mask_T, 'whiten x_T vs mask_T');
  assertMask(mask_T, 'mask_T');
  const kept = x_T.filter((_, t) => mask_T[t] === 1);
  assertFinite(kept, 'x_T (masked)');
  if (isConstant(kept)) return x_T.map(() => 0);
  const m = mean(kept);
  const s = std(kept);
  return x_T.map((x, t) => (mask_T[t] === 1 ? (x - m) / (s + eps) : 0));
}
