/**
 * The CI-sized learning test (rl-learning.test.ts) with asynchronous rollouts: the groups of step
 * k+1 are sampled while step k trains (async.maxOffPolicySteps 1), so a step trains on groups one
 * update old, with the trainer's recomputed log-probs as π_old and truncated importance weights
 * from the sampling log-probs. Same task, same criterion: it stops as soon as the mean shaped
 * reward of the last two steps exceeds that of the first two by 4, and fails if that never
 * happens within 24 steps.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrainer, type TrainerProcess } from '../src/trainer/process.ts';
import { tempDir } from './support/files.ts';
import { learningData, MARGIN, trainUntilLearned } from './support/learning.ts';

let dir: string;
let cleanup: () => Promise<void>;
let svc: TrainerProcess;

beforeAll(async () => {
  const t = await tempDir('tarl-learn-async-');
  dir = t.dir;
  cleanup = t.cleanup;
  learningData(dir);
  svc = await startTrainer({ threads: 2, startupTimeoutMs: 300_000 });
}, 320_000);
afterAll(async () => {
  await svc?.stop();
  await cleanup?.();
});

describe('RL learns with asynchronous rollouts (CI-sized)', () => {
  it('raises the mean reward while the next step samples during each update', async () => {
    const { run, reward, gain } = await trainUntilLearned({ dir, svc, seed: 2, extra: { async: { enabled: true, maxOffPolicySteps: 1 } } });
    const lines = run.metrics();
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
