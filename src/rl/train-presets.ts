import type { TrainConfigInput } from './config.ts';

/**
 * Documented starting points for `tarl train --preset NAME` (a config file and `--set` override
 * them, in that order). Each says what it is for; `data.dir` is always the caller's. Plain data,
 * apart from the config schema, so that `tarl train --help` lists the names without loading it.
 */
export const PRESETS: Readonly<Record<string, { about: string; config: Omit<TrainConfigInput, 'data'> }>> = {
  'tiny-cpu': {
    about: 'The tiny preset model on this CPU: TARL-GRPO (oracle judge, scripted user), full fine-tuning, short turns.',
    config: {
      steps: 20,
      model: { base: { preset: 'tiny' } },
      sampler: { temperature: 1, maxTokens: 64 },
      rollout: { groupSize: 8, concurrency: 64, maxTurns: 12 },
      curriculum: { tasksPerStep: 8 },
      optim: { lr: 1e-3 },
      eval: { every: 5, tasks: 50 },
    },
  },
  smoke: {
    about: 'A few seconds per step: checks that a run goes end to end (CI-sized).',
    config: {
      steps: 2,
      model: { base: { preset: 'tiny' } },
      sampler: { maxTokens: 24 },
      rollout: { groupSize: 2, concurrency: 8, maxTurns: 3 },
      curriculum: { tasksPerStep: 2 },
      eval: { every: 2, tasks: 2 },
    },
  },
  'qwen3-lora-gpu': {
    about: 'A Qwen-class checkpoint with LoRA r16 in bf16 on a GPU (set model.base.path); PPO-clip with clip-higher, KL 0.',
    config: {
      steps: 200,
      model: { base: { preset: 'qwen3-8b-random' }, lora: { rank: 16, alpha: 32 }, dtype: 'bfloat16', device: 'cuda' },
      sampler: { temperature: 1, maxTokens: 512 },
      rollout: { groupSize: 8, concurrency: 128, maxTurns: 30 },
      curriculum: { tasksPerStep: 16 },
      optim: { lr: 1e-5, minibatches: 4 },
      eval: { every: 10, tasks: 100 },
    },
  },
};
