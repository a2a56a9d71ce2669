/**
 * CI-sized learning: the tiny model from its random init, TARL-GRPO (oracle judge, scripted user)
 * on starter tasks. A random policy almost never ends a turn in a readable reply or tool call
 * (turns run to the token limit, the judge scores them 0 and the last −1); the shaped reward
 * climbs as the policy learns to end its turns. The climb is a phase transition whose onset varied
 * from step 3 to step 11 over seeds 0–8 (docs/rl.md, "the CI learning test"), so the run stops as
 * soon as it has learned and fails only if it has not by step 24.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import { trainConfigSchema } from '../src/rl/config.ts';
import { train, type TrainProgress } from '../src/rl/train.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { startTrainer, type TrainerProcess } from '../src/trainer/process.ts';
import { tempDir } from './support/files.ts';

/** Mean shaped reward of the last two steps minus that of the first two (the reward spans ±3.33). */
const MARGIN = 4;
const MAX_STEPS = 24;

let dir: string;
let cleanup: () => Promise<void>;
let svc: TrainerProcess;

beforeAll(async () => {
  const t = await tempDir('tarl-learn-');
  dir = t.dir;
  cleanup = t.cleanup;
  generateDataset(join(dir, 'data'), { domain: 'starter', seed: 1, tasks: 64, dev: 0, test: 2, singleRequest: true });
  svc = await startTrainer({ threads: 2, startupTimeoutMs: 90_000 });
}, 120_000);
afterAll(async () => {
  await svc?.stop();
  await cleanup?.();
});

describe('RL learns (CI-sized)', () => {
  it('raises the mean reward over a few steps', async () => {
    const config = trainConfigSchema.parse({
      seed: 0, steps: MAX_STEPS, data: { dir: join(dir, 'data') },
      sampler: { maxTokens: 8 }, rollout: { groupSize: 8, concurrency: 64, maxTurns: 3 }, curriculum: { tasksPerStep: 8 },
      optim: { lr: 0.01 }, eval: { every: 0 }, checkpoint: { every: 100, keep: 1 },
    });
    const learned = new AbortController();
    const rewards: number[] = [];
    const onProgress = (p: TrainProgress): void => {
      if (p.stage !== 'update' || p.reward === undefined) return;
      rewards.push(p.reward);
      const n = rewards.length;
      if (n >= 4 && (rewards[n - 1]! + rewards[n - 2]! - rewards[0]! - rewards[1]!) / 2 > MARGIN) learned.abort(new Error('learned'));
    };
    await train({ config, out: join(dir, 'run'), service: svc, signal: learned.signal, onProgress }).catch((e: unknown) => {
      if (e !== learned.signal.reason) throw e;
    });
    const lines = RunDir.open(join(dir, 'run')).metrics();
    const reward = lines.map((l) => l['reward/mean']!);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const gain = mean(reward.slice(-2)) - mean(reward.slice(0, 2));
    expect(gain, `rewards by step: ${reward.map((x) => x.toFixed(2)).join(' ')}`).toBeGreaterThan(MARGIN);
    expect(lines.at(-1)!['env/parse_error_rate']!).toBeLessThan(lines[0]!['env/parse_error_rate']!);
  }, 600_000);
});
