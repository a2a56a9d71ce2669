import { z } from 'zod';
import { curriculumSchema } from './curriculum.ts';
import { advantageConfigSchema, aggregationSchema, mismatchSchema } from './estimator-config.ts';
import { speechConfigSchema } from '../voice/config.ts';
import { rewardShapingSchema } from './reward-shaping.ts';

/**
 * `tarl train --config FILE`: one typed, documented object (zod), recorded whole in `run.json`.
 * Every field has a default; a config file gives only what it changes, `--preset NAME` starts
 * from a documented preset (presets.ts), and `--set a.b=value` overrides single fields.
 */

/** Where the policy's weights come from (the trainer service's model specs). */
export const modelSourceSchema = z.union([
  z.object({ preset: z.enum(['tiny', 'qwen3-8b-random', 'tiny-omni']).describe('tiny-omni: a tiny random Qwen2.5-Omni thinker that hears audio (speech runs)') }).strict(),
  z.object({ checkpoint: z.string().min(1).describe('a checkpoint directory (tarl sft / tarl train)') }).strict(),
  z.object({ path: z.string().min(1).describe('a local Hugging Face model directory') }).strict(),
  z
    .object({
      scratch: z.object({
        layers: z.number().int().positive(),
        hidden: z.number().int().positive(),
        heads: z.number().int().positive(),
        kv_heads: z.number().int().positive(),
        intermediate: z.number().int().positive().optional(),
        max_positions: z.number().int().positive(),
      }),
      tokenizer: z.string().min(1).describe('directory holding tokenizer.json'),
    })
    .strict(),
]);
export type ModelSource = z.infer<typeof modelSourceSchema>;

export const trainConfigSchema = z
  .object({
    seed: z.number().int().nonnegative().default(0).describe('run seed: task draws, episode seeds, minibatch order and the model init derive from it'),
    steps: z.number().int().positive().default(20).describe('RL steps (one batch of rollouts and its update each)'),
    data: z
      .object({
        dir: z.string().min(1).describe('dataset directory (tarl data generate)'),
        split: z.string().default('train').describe('split the rollouts draw from'),
      })
      .strict(),
    model: z
      .object({
        base: modelSourceSchema.default({ preset: 'tiny' }),
        lora: z
          .object({ rank: z.number().int().positive().default(16), alpha: z.number().positive().default(32) })
          .nullable()
          .default(null)
          .describe('LoRA adapters on the base, or null for full fine-tuning'),
        dtype: z.enum(['float32', 'bfloat16', 'float16']).default('float32'),
        device: z.string().default('cpu'),
        critic: z.enum(['none', 'shared', 'separate']).default('none').describe('the value model PPO with GAE needs: separate is recommended'),
        threads: z.number().int().positive().default(2).describe('torch threads of the trainer service (per rank)'),
        nproc: z
          .number()
          .int()
          .positive()
          .default(1)
          .describe('ranks of the trainer service: N > 1 runs it under torchrun with FSDP2, each batch split over the ranks (docs/scale.md); 1 = one process'),
        gradientCheckpointing: z.boolean().default(false).describe('recompute activations in the backward pass: less memory for about one more forward pass'),
        kvCacheTokens: z.number().int().nonnegative().optional().describe('prefix KV cache budget of the service (tokens; 0 disables)'),
        trainAudioTower: z.boolean().optional().describe('audio models: train the audio encoder too (default: frozen)'),
      })
      .strict()
      .prefault({}),
    sampler: z
      .object({
        kind: z.enum(['service', 'completions']).default('service').describe('service: the trainer samples; completions: a vLLM/SGLang-style server'),
        baseUrl: z.string().optional().describe('completions server base URL (kind completions)'),
        model: z.string().optional().describe('served model name (kind completions)'),
        server: z
          .enum(['vllm', 'sglang'])
          .default('vllm')
          .describe('kind completions: whose weight-update endpoints to call after each update (LoRA: load_lora_adapter on both; full fine-tuning: SGLang only, /update_weights_from_disk)'),
        temperature: z.number().min(0).default(1),
        topP: z.number().gt(0).max(1).default(1).describe('< 1 truncates the distribution: the recorded log-probs are then of the untruncated softmax (said in the run)'),
        maxTokens: z.number().int().positive().default(96).describe('per agent turn'),
      })
      .strict()
      .prefault({}),
    rollout: z
      .object({
        groupSize: z.number().int().positive().default(8).describe('G: rollouts per task'),
        concurrency: z.number().int().positive().default(64).describe('episodes in flight (their turns are batched into one sample call)'),
        maxTurns: z.number().int().positive().default(30).describe('agent turns per episode'),
        user: z.string().default('scripted').describe('user simulator spec (scripted, or e.g. react:model=…)'),
        judge: z.string().default('oracle').describe('turn judge spec (oracle, or llm:model=…)'),
        maskUnparsed: z.boolean().default(true).describe('no loss on completions whose tool-call markup did not parse'),
      })
      .strict()
      .prefault({}),
    speech: speechConfigSchema
      .optional()
      .describe('spoken user turns (docs/speech.md): modality text | speech | mixed, speechRatio, voice; absent: text. Speech needs an audio model (e.g. preset tiny-omni) and the service sampler'),
    curriculum: curriculumSchema.prefault({}),
    reward: rewardShapingSchema.prefault({}),
    advantage: advantageConfigSchema.prefault({}),
    aggregation: aggregationSchema.prefault({}),
    loss: z
      .object({
        kind: z.enum(['ppo', 'importance_sampling']).default('ppo'),
        clipLow: z.number().min(0).lt(1).default(0.2),
        clipHigh: z.number().min(0).default(0.28).describe('clip-higher (DAPO) keeps exploration alive'),
        dualClip: z.number().gt(1).nullable().default(null),
        klCoef: z.number().min(0).default(0).describe('β of the KL to the reference (the initial weights)'),
        klIn: z
          .enum(['loss', 'reward'])
          .default('loss')
          .describe('loss: β·KL per sampled token in the loss (estimator klEstimator); reward: each rollout\'s reward loses β·Σ_t (log π_sample − log π_ref) over its sampled tokens'),
        klEstimator: z.enum(['k1', 'k2', 'k3']).default('k3'),
        entropyCoef: z.number().default(0),
        valueCoef: z.number().min(0).default(0.5).describe('GAE only'),
        valueClip: z.number().positive().nullable().default(0.2),
      })
      .strict()
      .prefault({}),
    optim: z
      .object({
        lr: z.number().positive().default(1e-4),
        epochs: z.number().int().positive().default(1).describe('PPO epochs over the step\'s data'),
        minibatches: z.number().int().positive().default(1).describe('optimizer steps per epoch'),
        gradClip: z.number().positive().nullable().default(1),
        weightDecay: z.number().min(0).default(0),
        warmupSteps: z.number().int().nonnegative().default(0),
        schedule: z.enum(['constant', 'linear', 'cosine']).default('constant'),
      })
      .strict()
      .prefault({}),
    mismatch: mismatchSchema
      .extend({
        recompute: z
          .enum(['auto', 'always', 'never'])
          .default('auto')
          .describe('recompute log-probs with the trainer before the update: auto = when the sampler is not the trainer'),
      })
      .prefault({}),
    async: z
      .object({
        enabled: z.boolean().default(false).describe('rollouts of the next steps run while a step trains (docs/scale.md); false: rollouts and updates alternate'),
        maxOffPolicySteps: z
          .number()
          .int()
          .nonnegative()
          .default(1)
          .describe('a group may be trained on at most this many updates after the one it was sampled from; older groups are discarded and their tasks requeued. It also bounds how far rollouts run ahead (0: no overlap)'),
      })
      .strict()
      .prefault({}),
    eval: z
      .object({
        every: z.number().int().nonnegative().default(5).describe('held-out eval every N steps (and before the first and after the last); 0 = never'),
        atStart: z.boolean().default(true).describe('false: no eval before the first step (runs from one checkpoint share its eval, as bench:learn does)'),
        split: z.string().default('test'),
        tasks: z.number().int().positive().default(50).describe('the first N tasks of the split (the same tasks every time)'),
        trials: z.number().int().positive().default(1),
        temperature: z.number().min(0).default(1),
        concurrency: z.number().int().positive().default(64),
      })
      .strict()
      .prefault({}),
    checkpoint: z
      .object({
        every: z.number().int().positive().default(1).describe('save every N steps (resume restarts from the last one)'),
        keep: z.number().int().positive().default(2).describe('checkpoints kept (older ones are deleted; the final one always stays)'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((c, ctx) => {
    // Focus weights come from the outcomes of the steps before; asynchronous draws run ahead of them.
    if (c.curriculum.focus.by === 'kind' && c.async.enabled) {
      ctx.addIssue({ code: 'custom', path: ['curriculum', 'focus', 'by'], message: "curriculum.focus.by 'kind' weighs kinds by the outcomes of the steps before a draw, which asynchronous rollouts (async.enabled) draw ahead of: use one or the other" });
    }
    // vLLM documents no HTTP call that loads full weights from a new path (completions-sampler.ts).
    if (c.sampler.kind === 'completions' && c.model.lora === null && c.sampler.server === 'vllm') {
      ctx.addIssue({ code: 'custom', path: ['sampler', 'server'], message: "full fine-tuning (model.lora null) with sampler.kind 'completions' needs sampler.server 'sglang' (POST /update_weights_from_disk): vLLM hot-loads LoRA adapters only" });
    }
  });
export type TrainConfig = z.infer<typeof trainConfigSchema>;
export type TrainConfigInput = z.input<typeof trainConfigSchema>;
