import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { startTrainer } from '../src/trainer/process.ts';

const ROOT = resolve(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'tarl-trained-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  generateDataset(join(dir, 'data'), { domain: 'retail', seed: 5, users: 40, tasks: 4, dev: 0, test: 4 });
  const svc = await startTrainer({ threads: 2, startupTimeoutMs: 90_000 });
  try {
    const { session_id } = await svc.client.createSession({ model: { preset: 'tiny' }, seed: 3 });
    await svc.client.save(session_id, join(dir, 'checkpoints', '0'));
  } finally {
    await svc.stop();
  }
}, 180_000);

describe('tarl eval --agent-model trained:CHECKPOINT', () => {
  it('serves the checkpoint through the trainer facade and records the episodes', async () => {
    const out = join(dir, 'run');
    const args = [
      join(ROOT, 'bin', 'tarl.js'), 'eval', '--data', join(dir, 'data'), '--split', 'test', '--tasks', '0-1', '--trials', '1', '--max-steps', '2',
      '--agent', 'tool-calling', '--agent-model', `trained:${join(dir, 'checkpoints', '0')}`, '--agent-max-tokens', '16', '--user', 'scripted', '--out', out, '--no-progress',
    ];
    const code = await new Promise<number | null>((done) => {
      const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'], timeout: 170_000 });
      child.on('close', done);
    });
    expect(code).toBe(0);
    const episodes = RunDir.open(out).episodes().episodes;
    expect(episodes).toHaveLength(2);
    for (const e of episodes) {
      expect(e.termination, e.error).not.toBe('error');
      expect(e.steps.length).toBeGreaterThan(0);
      expect(e.usage.agent.completionTokens).toBeGreaterThan(0);
      // Token-exact: every turn records its ids and log-probs, and each prompt extends the previous
      // prompt and completion (the facade renders remembered assistant turns from their ids).
      e.steps.forEach((step, k) => {
        const t = step.tokens;
        expect(t, `episode ${e.taskId} step ${k}`).toBeDefined();
        expect(t!.completionIds.length).toBeGreaterThan(0);
        expect(t!.logprobs).toHaveLength(t!.completionIds.length);
        expect(t!.promptIds!.length).toBeGreaterThan(0);
        if (k > 0) {
          const prev = e.steps[k - 1]!.tokens!;
          const head = [...prev.promptIds!, ...prev.completionIds];
          expect(t!.promptIds!.slice(0, head.length)).toEqual(head);
        }
      });
    }
    expect(episodes.some((e) => e.steps.length > 1)).toBe(true); // the prefix property was exercised
    const cfg = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { config: { agent: string } };
    expect(cfg.config.agent).toContain('trained:');
  }, 180_000);
});
