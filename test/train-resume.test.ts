/**
 * Crash-safe training: `kill -9` of `tarl train` mid-run, then `--resume`, gives the same steps,
 * the same rollouts (no loss, no duplicates) and the same metrics as an uninterrupted run — same
 * data order, same sampling (per-row seeds), same optimizer state.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { tempDir } from './support/files.ts';

const ROOT = resolve(import.meta.dirname, '..');
let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDir('tarl-resume-');
  dir = t.dir;
  cleanup = t.cleanup;
  generateDataset(join(dir, 'data'), { domain: 'starter', seed: 2, tasks: 12, dev: 0, test: 2, singleRequest: true });
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({
      seed: 4,
      steps: 4,
      data: { dir: join(dir, 'data') },
      sampler: { maxTokens: 12 },
      rollout: { groupSize: 2, concurrency: 8, maxTurns: 3 },
      // focus by kind: its weights come from earlier steps' outcomes, which resume reads back from the log
      curriculum: { tasksPerStep: 2, focus: { by: 'kind', window: 2 } },
      optim: { lr: 1e-3 },
      eval: { every: 0 },
      checkpoint: { every: 1, keep: 2 },
    }),
  );
});
afterAll(async () => cleanup?.());

function tarl(args: string[], opts: { killWhen?: () => boolean } = {}): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(ROOT, 'bin', 'tarl.js'), ...args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-4000)));
    const timer = opts.killWhen
      ? setInterval(() => {
          if (opts.killWhen!()) child.kill('SIGKILL');
        }, 20)
      : undefined;
    child.on('close', (code, signal) => {
      if (timer) clearInterval(timer);
      if (code !== 0 && signal === null) process.stderr.write(err);
      done(code ?? (signal ? 137 : null));
    });
  });
}

/** Metrics without timings (wall-clock figures differ between any two runs). */
const stable = (run: string) => RunDir.open(run).metrics().map((m) => Object.fromEntries(Object.entries(m).filter(([k]) => !k.startsWith('perf/') || k === 'perf/prefix_breaks' || k === 'perf/train_tokens')));

describe('tarl train --resume after kill -9', () => {
  it('matches an uninterrupted run: steps, rollouts and metrics', async () => {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    expect(await tarl(['train', '--config', join(dir, 'config.json'), '--out', a, '--no-progress'])).toBe(0);

    // Kill once the second step's rollouts are being written (mid-step, after a checkpoint).
    const episodes = join(b, 'episodes.jsonl');
    const killed = await tarl(['train', '--config', join(dir, 'config.json'), '--out', b, '--no-progress'], {
      killWhen: () => existsSync(episodes) && readFileSync(episodes, 'utf8').split('\n').filter(Boolean).length > 4,
    });
    expect(killed).toBe(137);
    expect(RunDir.open(b).metrics().length).toBeLessThan(4);
    expect(await tarl(['train', '--resume', '--out', b, '--no-progress'])).toBe(0);

    // Same steps, same metrics: equal up to float rounding (a batch's composition — which
    // episodes share a sample call — changes the padding and so the last digits of log-probs).
    const [ma, mb] = [stable(a), stable(b)];
    expect(mb.map((l) => Object.keys(l).sort())).toEqual(ma.map((l) => Object.keys(l).sort()));
    ma.forEach((l, i) => {
      for (const [k, v] of Object.entries(l)) expect(mb[i]![k], `step ${l.step} ${k}`).toBeCloseTo(v, 5);
    });
    const keys = (run: string) => RunDir.open(run).episodes().episodes.map((e) => `${e.step}/${e.taskId}#${e.trial}:${e.reward}:${e.steps.map((s) => s.tokens?.completionIds.join(',')).join('|')}`);
    const eb = RunDir.open(b).episodes();
    expect(eb.duplicates).toBe(0);
    expect(keys(b)).toEqual(keys(a));
    expect(RunDir.open(b).latestCheckpoint()?.state.step).toBe(4);
  }, 300_000);
});
