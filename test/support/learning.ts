/**
 * The CI-sized learning run both learning tests share: the tiny model from its random init on 64
 * single-request starter tasks, TARL-GRPO with the oracle judge, stopped as soon as the mean shaped
 * reward of the last two steps exceeds that of the first two by MARGIN (the reward spans ±3.33).
 */
import { join } from 'node:path';
import { generateDataset } from '../../src/dataset/build.ts';
import { trainConfigSchema, type TrainConfigInput } from '../../src/rl/config.ts';
import { train, type TrainProgress } from '../../src/rl/train.ts';
import { RunDir } from '../../src/run/run-dir.ts';
import type { TrainerProcess } from '../../src/trainer/process.ts';

export const MARGIN = 4;
export const MAX_STEPS = 24;

/** Writes the 64-task starter dataset the learning runs train on. */
export function learningData(dir: string): string {
  const data = join(dir, 'data');
  generateDataset(data, { domain: 'starter', seed: 1, tasks: 64, dev: 0, test: 2, singleRequest: true });
  return data;
}

/** Trains until the reward has climbed by MARGIN (or MAX_STEPS); returns the run and its reward by step. */
export async function trainUntilLearned(o: { dir: string; svc: TrainerProcess; seed: number; extra?: Partial<TrainConfigInput> }): Promise<{ run: RunDir; reward: number[]; gain: number }> {
  const config = trainConfigSchema.parse({
    seed: o.seed, steps: MAX_STEPS, data: { dir: join(o.dir, 'data') },
    sampler: { maxTokens: 8 }, rollout: { groupSize: 8, concurrency: 64, maxTurns: 3 }, curriculum: { tasksPerStep: 8 },
    optim: { lr: 0.01 }, eval: { every: 0 }, checkpoint: { every: 100, keep: 1 },
    ...o.extra,
  });
  const learned = new AbortController();
  const rewards: number[] = [];
  const onProgress = (p: TrainProgress): void => {
    if (p.stage !== 'update' || p.reward === undefined) return;
    rewards.push(p.reward);
    const n = rewards.length;
    if (n >= 4 && (rewards[n - 1]! + rewards[n - 2]! - rewards[0]! - rewards[1]!) / 2 > MARGIN) learned.abort(new Error('learned'));
  };
  await train({ config, out: join(o.dir, 'run'), service: o.svc, signal: learned.signal, onProgress }).catch((e: unknown) => {
    if (e !== learned.signal.reason) throw e;
  });
  const run = RunDir.open(join(o.dir, 'run'));
  const reward = run.metrics().map((l) => l['reward/mean']!);
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  return { run, reward, gain: mean(reward.slice(-2)) - mean(reward.slice(0, 2)) };
}
