/**
 * The CI-sized learning test (rl-learning.test.ts) with asynchronous rollouts: the groups of step
 * k+1 are sampled while step k trains (async.maxOffPolicySteps 1), so a step trains on groups one
 * update old, with the trainer's recomputed log-probs as π_old and truncated importance weights
 * from the sampling log-probs. Same task, same criterion: it stops as soon as the mean shaped
 * reward of the last two steps exceeds that of the first two by 4, and fails if that never
 * happens within 24 steps.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import { trainConfigSchema } from '../src/rl/config.ts';
import { train, type TrainProgress } from '../src/rl/train.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { startTrainer, type TrainerProcess } from '../src/trainer/process.ts';
import { tempDir } from './support/files.ts';

const MARGIN = 4;
const MAX_STEPS = 24;

let dir: string;
let cleanup: () => Promise<void>;
let svc: TrainerProcess;

beforeAll(async () => {
  const t = await tempDir('tarl-learn-async-');
  dir = t.dir;
  cleanup = t.cleanup;
  generateDataset(join(dir, 'data'), { domain: 'starter', seed: 1, tasks: 64, dev: 0, test: 2, singleRequest: true });
  svc = await startTrainer({ threads: 2, startupTimeoutMs: 300_000 });
}, 320_000);
afterAll(async () => {
  await svc?.stop();
  await cleanup?.();
});

describe('RL learns with asynchronous rollouts (CI-sized)', () => {
  it('raises the mean reward while the next step samples during each update', async () => {
    const config = trainConfigSchema.parse({
      seed: 2, steps: MAX_STEPS, data: { dir: join(dir, 'data') },
      sampler: { maxTokens: 8 }, rollout: { groupSize: 8, concurrency: 64, maxTurns: 3 }, curriculum: { tasksPerStep: 8 },
      optim: { lr: 0.01 }, eval: { every: 0 }, checkpoint: { every: 100, keep: 1 },
      async: { enabled: true, maxOffPolicySteps: 1 },
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
    const run = RunDir.open(join(dir, 'run'));
    const lines = run.metrics();
    const reward = lines.map((l) => l['reward/mean']!);
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    const gain = mean(reward.slice(-2)) - mean(reward.slice(0, 2));
    expect(gain, `rewards by step: ${reward.map((x) => x.toFixed(2)).join(' ')}`).toBeGreaterThan(MARGIN);
    // Groups were sampled during updates (staleness 1), never more than one update old.
    expect(lines[0]!['async/staleness_max']).toBe(0);
    expect(lines.every((l) => l['async/staleness_max']! <= 1)).toBe(true);
    expect(lines.some((l) => l['async/staleness_max'] === 1)).toBe(true);
    // Steps whose groups all had equal rewards train nothing and recompute nothing: no KL line.
    const trained = lines.filter((l) => l['perf/items']! > 0);
    expect(trained.length).toBeGreaterThan(0);
    expect(trained.every((l) => Number.isFinite(l['kl/sampler_trainer']))).toBe(true);
    const episodes = run.episodes().episodes;
    expect(episodes).toHaveLength(64 * lines.length);
    expect(episodes.every((t) => t.policyVersion !== undefined && t.step! - t.policyVersion >= 0 && t.step! - t.policyVersion <= 1)).toBe(true);
  }, 600_000);
});
