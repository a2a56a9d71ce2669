/**
 * A short `tarl train` run end to end: it completes, checkpoints, writes a metrics line per step
 * with every namespace, and its checkpoint runs under `tarl eval --agent-model trained:…` with
 * token-recording trajectories.
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { tempDir } from './support/files.ts';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDir('tarl-train-cli-');
  dir = t.dir;
  cleanup = t.cleanup;
  generateDataset(join(dir, 'data'), { domain: 'starter', seed: 6, tasks: 8, dev: 0, test: 2, singleRequest: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      steps: 2,
      data: { dir: join(dir, 'data') },
      sampler: { maxTokens: 12 },
      rollout: { groupSize: 2, concurrency: 8, maxTurns: 3 },
      curriculum: { tasksPerStep: 2, math: { ratio: 0.5, levels: [0] } },
      loss: { klCoef: 0.01 },
      advantage: { estimator: 'reinforce_pp' },
      mismatch: { recompute: 'always' },
      eval: { every: 1, tasks: 2 },
    }),
  );
});
afterAll(async () => cleanup?.());

function tarl(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'tarl.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('tarl train', () => {
  it('runs, checkpoints, logs every namespace, and its checkpoint evaluates with tokens', async () => {
    const out = join(dir, 'run');
    const r = await tarl(['train', '--config', join(dir, 'config.json'), '--set', 'seed=3', '--out', out, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/trained 2 steps/);
    const run = RunDir.open(out);
    expect(run.manifest().kind).toBe('train');
    expect(run.manifest().config.seed).toBe(3);
    const lines = run.metrics();
    expect(lines.map((l) => l.step)).toEqual([0, 1, 2]);
    const keys = new Set(lines.flatMap((l) => Object.keys(l)));
    for (const ns of ['reward/', 'env/', 'loss/', 'kl/', 'ppo/', 'perf/', 'eval/', 'curriculum/']) expect([...keys].some((k) => k.startsWith(ns)), ns).toBe(true);
    expect(keys.has('kl/sampler_trainer')).toBe(true);
    expect(keys.has('ppo/ratio_max_abs_dev')).toBe(true);
    expect(lines[0]!['perf/prefix_breaks']).toBe(0);
    expect(existsSync(join(out, 'checkpoints', '2', 'tarl_checkpoint.json'))).toBe(true);
    expect(existsSync(join(out, 'tokenizer.json'))).toBe(true); // tarl view decodes the rollouts' tokens with it
    const eps = run.episodes();
    expect(eps.duplicates).toBe(0);
    expect(eps.episodes.length).toBe(2 * 2 * 2);
    expect(new Set(eps.episodes.map((e) => e.step))).toEqual(new Set([0, 1]));
    expect(eps.episodes.some((e) => e.domain === 'math')).toBe(true);
    for (const e of eps.episodes) {
      expect(e.rl).toBeDefined();
      for (const s of e.steps) expect(s.tokens?.completionIds.length).toBeGreaterThan(0);
    }

    // The checkpoint is a model `tarl eval` serves through the trainer's facade, recording tokens.
    const evalOut = join(dir, 'eval');
    const e = await tarl(['eval', '--data', join(dir, 'data'), '--split', 'test', '--agent', 'tool-calling', '--agent-model', `trained:${join(out, 'checkpoints', '2')}`, '--agent-max-tokens', '12', '--max-steps', '2', '--user', 'scripted', '--out', evalOut, '--no-progress']);
    expect(e.code, e.stderr).toBe(0);
    const evalEps = RunDir.open(evalOut).episodes().episodes;
    expect(evalEps).toHaveLength(2);
    for (const ep of evalEps) for (const s of ep.steps) expect(s.tokens?.completionIds.length).toBeGreaterThan(0);
  }, 400_000);

  it('refuses a config with a clear error naming the field', async () => {
    const r = await tarl(['train', '--data', join(dir, 'data'), '--set', 'optim.lr=-1', '--out', join(dir, 'bad')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/optim\.lr/);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  }, 60_000);
});
