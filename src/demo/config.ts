import { z } from 'zod';

/**
 * The embedded demo (`npm start`): every size and budget below was chosen by measurement on a
 * 2-core CPU (docs/demo.md has the figures), so that SFT lands the policy partway (held-out pass^1
 * on write tasks inside [0.15, 0.7]) and RL then has room to improve it within the time budget.
 */
export const demoConfigSchema = z
  .object({
    seed: z.number().int().nonnegative().default(1),
    data: z
      .object({
        trainTasks: z.number().int().positive().default(3000),
        trainWorlds: z.number().int().positive().default(8).describe('train worlds: together they cover most of the id space'),
        users: z.number().int().positive().default(90),
        testTasks: z.number().int().positive().default(200).describe('held-out tasks, from a world of another seed'),
        singleRequest: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
    tokenizer: z
      .object({
        vocab: z.number().int().positive().default(1024).describe('BPE merges budget (the starter ids come on top, one token each)'),
        demos: z.number().int().positive().default(1500).describe('oracle episodes the tokenizer is trained on'),
      })
      .strict()
      .prefault({}),
    model: z
      .object({
        layers: z.number().int().positive().default(2),
        hidden: z.number().int().positive().default(128),
        heads: z.number().int().positive().default(4),
        kvHeads: z.number().int().positive().default(2),
        maxPositions: z.number().int().positive().default(2048),
      })
      .strict()
      .prefault({}),
    sft: z
      .object({
        steps: z.number().int().positive().default(400),
        lr: z.number().positive().default(3e-3),
        batchTokens: z.number().int().positive().default(8192),
      })
      .strict()
      .prefault({}),
    rl: z
      .object({
        steps: z.number().int().nonnegative().default(10),
        tasksPerStep: z.number().int().positive().default(16),
        groupSize: z.number().int().positive().default(8),
        lr: z.number().positive().default(2e-4),
        temperature: z.number().positive().default(1),
        maxTokens: z.number().int().positive().default(48),
        maxTurns: z.number().int().positive().default(10),
      })
      .strict()
      .prefault({}),
    eval: z
      .object({
        tasks: z.number().int().positive().default(200),
        trials: z.number().int().positive().default(2),
        temperature: z.number().min(0).default(1),
      })
      .strict()
      .prefault({}),
    threads: z.number().int().positive().default(2),
  })
  .strict();
export type DemoConfig = z.infer<typeof demoConfigSchema>;
