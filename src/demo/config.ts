import { z } from 'zod';
import { rewardShapingSchema } from '../rl/reward-shaping.ts';
import { modalitySchema, voiceConfigSchema } from '../voice/config.ts';

/**
 * The embedded demo (`npm start`): every size and budget below was chosen by measurement on a
 * 2-core CPU (docs/demo.md has the figures), so that SFT lands the policy partway (held-out pass^1
 * on write tasks inside [0.15, 0.7]) and RL then has room to improve it within the time budget.
 */
export const demoConfigSchema = z
  .object({
    seed: z.number().int().nonnegative().default(1),
    from: z
      .enum(['starter', 'scratch'])
      .default('starter')
      .describe('starter: RL begins from the shipped SFT checkpoint (starter/, verified by hash); scratch: train the tokenizer and SFT first'),
    writeStarter: z.boolean().default(false).describe('scratch: write the SFT checkpoint as the starter (to starterDir) before RL'),
    starterDir: z.string().optional().describe('the starter checkpoint directory (default: starter/ in the repository)'),
    data: z
      .object({
        trainTasks: z.number().int().positive().default(8000),
        trainWorlds: z.number().int().positive().default(200).describe('train worlds (40 tasks each): so many that SFT cannot memorise a world and must learn to copy from the conversation (docs/demo.md)'),
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
        splitDigits: z.boolean().default(true).describe('one token per digit, so a number reads the same in a record and in a reply (merged, " 127" and "$127" began with different tokens; docs/demo.md)'),
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
        steps: z.number().int().positive().default(650).describe('inside the copy transition (train loss falls at ~525, held-out write success 0.07 at 600 and 0.44 at 750; docs/demo.md): RL has a skill to sharpen'),
        lr: z.number().positive().default(3e-3),
        schedule: z.enum(['constant', 'cosine']).default('constant').describe('constant: the copy skill appears at 500–750 steps (docs/demo.md); a decaying rate delays it'),
        batchTokens: z.number().int().positive().default(8192),
      })
      .strict()
      .prefault({}),
    rl: z
      .object({
        steps: z.number().int().nonnegative().default(24),
        tasksPerStep: z.number().int().positive().default(16),
        groupSize: z.number().int().positive().default(8),
        lr: z.number().positive().default(5e-4).describe('from this starter, 1e-3 for 20 steps gained on 1 seed in 3 and lost on another (KL to the SFT weights spiked to 0.2–0.3 a token); 5e-4 for 24 steps gained on all 3 (docs/demo.md)'),
        temperature: z.number().positive().default(1),
        klCoef: z.number().min(0).default(0.1).describe('β of the KL to the starting (SFT) weights, in the loss: keeps the format while the outcome rises (docs/demo.md)'),
        warmupSteps: z.number().int().nonnegative().default(3).describe('linear learning-rate warm-up: Adam\'s first steps move every weight by ~lr whatever its gradient'),
        stdScale: z.boolean().default(true).describe('GRPO: divide each group\'s advantages by its reward std (false: Dr. GRPO, the outcome term keeps its 10× weight over the turn scores)'),
        focus: z.enum(['none', 'kind']).default('kind').describe("curriculum.focus.by: 'kind' draws task kinds by how often their groups disagree (returns, never solved, and other users' orders, nearly always, give way to cancellations); without it seed 2 gained +0.021 [−0.015, 0.057], with it +0.057 [0.021, 0.098] (docs/demo.md)"),
        maskUnparsed: z.boolean().default(false).describe('false: unreadable outputs stay in the loss, where the judge\'s −1 on them pushes them down'),
        maxTokens: z.number().int().positive().default(48),
        maxTurns: z.number().int().positive().default(10),
        // R = 10·outcome + mean(turn scores): with the judge term on top (outcome + 10·mean) the
        // policy learned to avoid writes, collecting +1 look-ups and one −1, and held-out write
        // success fell from 0.26 to 0.00 in 20 steps (docs/demo.md).
        reward: rewardShapingSchema.prefault({ formula: 'lambda*outcome+agg' }),
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
    // The optional speech stage (src/demo/speech.ts): small sizes; the defaults are not yet timed end to end.
    speech: z
      .object({
        modality: modalitySchema.default('text').describe('text: no speech stage; mixed or speech: after the text RL, a short RL run on the tiny Omni model with spoken user turns, evaluated by modality'),
        speechRatio: z.number().min(0).max(1).default(0.5).describe('mixed: the share of spoken episodes (drawn per episode, seeded)'),
        voice: voiceConfigSchema.prefault({}),
        steps: z.number().int().positive().default(4),
        tasksPerStep: z.number().int().positive().default(4),
        groupSize: z.number().int().positive().default(4),
        lr: z.number().positive().default(1e-3),
        maxTokens: z.number().int().positive().default(48),
        maxTurns: z.number().int().positive().default(4),
        evalTasks: z.number().int().positive().default(32),
        evalTrials: z.number().int().positive().default(1),
      })
      .strict()
      .prefault({}),
    threads: z.number().int().positive().default(2),
  })
  .strict();
export type DemoConfig = z.infer<typeof demoConfigSchema>;
