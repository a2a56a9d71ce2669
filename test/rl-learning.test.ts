/**
 * CI-sized learning: the tiny model from its random init, TARL-GRPO (oracle judge, scripted user)
 * on starter tasks. A random policy almost never ends a turn in a readable reply or tool call
 * (turns run to the token limit, the judge scores them 0 and the last −1); the shaped reward
 * climbs as the policy learns to end its turns. The climb is a phase transition whose onset varied
 * from step 3 to step 11 over seeds 0–8 (docs/rl.md, "the CI learning test"), so the run stops as
 * soon as it has learned and fails only if it has not by step 24.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTrainer, type TrainerProcess } from '../src/trainer/process.ts';
import { tempDir } from './support/files.ts';
import { learningData, MARGIN, trainUntilLearned } from './support/learning.ts';

let dir: string;
let cleanup: () => Promise<void>;
let svc: TrainerProcess;

beforeAll(async () => {
  const t = await tempDir('tarl-learn-');
  dir = t.dir;
  cleanup = t.cleanup;
  learningData(dir);
  svc = await startTrainer({ threads: 2, startupTimeoutMs: 90_000 });
}, 120_000);
afterAll(async () => {
  await svc?.stop();
  await cleanup?.();
});

describe('RL learns (CI-sized)', () => {
  it('raises the mean reward over a few steps', async () => {
    const { run, reward, gain } = await trainUntilLearned({ dir, svc, seed: 0 });
    const lines = run.metrics();
    expect(gain, `rewards by step: ${reward.map((x) => x.toFixed(2)).join(' ')}`).toBeGreaterThan(MARGIN);
    expect(lines.at(-1)!['env/parse_error_rate']!).toBeLessThan(lines[0]!['env/parse_error_rate']!);
  }, 600_000);
});
