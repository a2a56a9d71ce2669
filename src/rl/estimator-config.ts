import { z } from 'zod';
import { groupOptionsSchema } from './advantages.ts';
import { gaeOptionsSchema } from './gae.ts';
import { gigpoOptionsSchema } from './gigpo.ts';
import { turnOptionsSchema } from './turn-advantages.ts';

export { aggregationSchema, type Aggregation } from './aggregation.ts';
export { mismatchSchema, type Mismatch } from './mismatch.ts';

/**
 * The run's choice of advantage estimator and its knobs, in one schema (recorded in run.json).
 * Each sub-object is exactly the options object of its function, so the loop passes it through:
 *
 *   grpo, dr_grpo, rloo, reinforce_pp → groupAdvantages(groups, { estimator, ...cfg.group })
 *   turn                              → turnAdvantages(group, cfg.turn)
 *   gigpo                             → gigpo(group, cfg.gigpo)
 *   gae                               → gaeOverMask(rewards_T, values_T, mask_T, cfg.gae), then
 *                                       whiten(…) over the batch when cfg.gae.whiten
 *
 * Example: advantageConfigSchema.parse({ estimator: 'turn' }) →
 *   { estimator: 'turn', group: { stdScale: true, eps: 1e-6 }, turn: { gamma: 0.9, lambda: 0.25,
 *     eps: 1e-6 }, gigpo: { omega: 1, gamma: 0.95, eps: 1e-6 }, gae: { gamma: 1, lambda: 1, whiten: true } }
 */

export const estimatorSchema = z
  .enum(['grpo', 'dr_grpo', 'rloo', 'reinforce_pp', 'turn', 'gigpo', 'gae'])
  .describe('grpo · dr_grpo · rloo · reinforce_pp (episode level) · turn (MT-GRPO/IRC) · gigpo (verl-agent) · gae (PPO with a critic)');
export type Estimator = z.infer<typeof estimatorSchema>;

export const advantageConfigSchema = z.object({
  estimator: estimatorSchema.default('grpo'),
  group: groupOptionsSchema.prefault({}).describe('Knobs of grpo, dr_grpo, rloo and reinforce_pp'),
  turn: turnOptionsSchema.prefault({}).describe('Knobs of the turn-level estimator (γ = 0.9, λ = 0.25)'),
  gigpo: gigpoOptionsSchema.prefault({}).describe('Knobs of GiGPO (ω = 1, γ = 0.95)'),
  gae: gaeOptionsSchema
    .extend({
      whiten: z.boolean().default(true).describe("Whiten GAE advantages over the batch's trainable tokens (as verl does)"),
    })
    .prefault({})
    .describe('Knobs of GAE (γ = λ = 1: sparse rewards over long token sequences)'),
});
export type AdvantageConfig = z.infer<typeof advantageConfigSchema>;
