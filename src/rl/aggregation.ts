import { z } from 'zod';
import { assertMask } from './stats.ts';

/**
 * Loss aggregation folded into per-token weights. The trainer service sums weighted per-token
 * loss terms (`normalize: 'sum'`, as Tinker's API does), so how the per-token losses ℓ_{d,t} of a
 * minibatch are averaged is decided here, on the client, as weights w_{d,t} with
 * Σ_{d,t} w_{d,t}·ℓ_{d,t} = the chosen mean (verl `agg_loss`, SkyRL):
 *
 *   token_mean           w = 1/N              N = trainable tokens of the minibatch
 *                        every token counts the same: long sequences weigh more in total.
 *   seq_mean_token_mean  w = 1/(D·n_d)        D = data with ≥ 1 trainable token, n_d = its tokens
 *                        every sequence counts the same: a token of a short sequence weighs more
 *                        (the length bias Dr. GRPO points out).
 *   constant             w = 1/(D·C)          C fixed (e.g. the max response tokens)
 *                        Dr. GRPO: a sum over each sequence's tokens with one divisor for all, so
 *                        no sequence is down-weighted for being long.
 *
 * Masked tokens (mask 0: prompt, user, tool, unparsed turns) weigh 0. A datum with no trainable
 * token is not counted in D: it contributes no loss, and counting it would shrink the others.
 * Pass the masks of everything one optim_step consumes, so the normaliser is the step's.
 *
 * Worked example: masks [[0, 1, 1, 0], [1, 1, 0, 1, 1]] (2 and 4 trainable tokens, the second
 * with a masked gap), N = 6, D = 2:
 *   token_mean           → every trainable token 1/6           (Σw = 6/6 = 1)
 *   seq_mean_token_mean  → first 1/(2·2) = 1/4, second 1/(2·4) = 1/8   (Σw = 2/4 + 4/8 = 1)
 *   constant, C = 8      → every trainable token 1/(2·8) = 1/16 (Σw = 6/16 = 0.375)
 */

export const aggregationModeSchema = z
  .enum(['token_mean', 'seq_mean_token_mean', 'constant'])
  .describe('token_mean: 1/N per token; seq_mean_token_mean: 1/(D·n_d); constant: 1/(D·C) (Dr. GRPO)');
export type AggregationMode = z.infer<typeof aggregationModeSchema>;

export const aggregationSchema = z
  .object({
    mode: aggregationModeSchema.default('token_mean'),
    constant: z
      .number()
      .positive()
      .optional()
      .describe('C of mode constant, e.g. the max response tokens per datum; required for that mode'),
  })
  .refine((c) => c.mode !== 'constant' || c.constant !== undefined, {
    message: "aggregation mode 'constant' needs `constant` (e.g. the max response tokens)",
    path: ['constant'],
  });
export type Aggregation = z.infer<typeof aggregationSchema>;

/** Per-token loss weights for one minibatch (`masks_DT[d][t]` ∈ {0, 1}); 0 where the mask is 0. */
export function lossWeights(masks_DT: readonly (readonly number[])[], cfg: z.input<typeof aggregationSchema> = {}): number[][] {
  const { mode, constant } = aggregationSchema.parse(cfg);
  masks_DT.forEach((m, d) => assertMask(m, `masks[${d}]`));
  const n_D = masks_DT.map((m) => m.reduce((a, b) => a + b, 0));
  const N = n_D.reduce((a, b) => a + b, 0);
  const D = n_D.filter((n) => n > 0).length;
  const weightOf = (d: number): number => {
    switch (mode) {
      case 'token_mean':
        return 1 / N;
      case 'seq_mean_token_mean':
        return 1 / (D * n_D[d]!);
      case 'constant':
        return 1 / (D * constant!);
    }
  };
  return masks_DT.map((m, d) => {
    if (n_D[d] === 0) return m.map(() => 0);
    const w = weightOf(d);
    return m.map((x) => (x === 1 ? w : 0));
  });
}
