import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OUTCOME_CHANGING } from '../src/agents/flawed-mutations.ts';
import { generateDataset } from '../src/dataset/build.ts';
import { INLINE_EPISODES } from '../src/eval/report/html.ts';
import type { Summary } from '../src/eval/summary.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { launchChromium, pixelStats } from './support/browser.ts';
import { REPO_ROOT, TARL, tarl } from './support/cli.ts';
import { ScriptedLlmServer, text, type RecordedRequest } from './support/llm-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-e2e-'));
const data = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  generateDataset(data, { domain: 'retail', seed: 3, users: 80, tasks: 10, dev: 2, test: 60 });
});

const results = (run: string): { complete: boolean; summary: Summary } => JSON.parse(readFileSync(join(run, 'results.json'), 'utf8')) as { complete: boolean; summary: Summary };

describe('tarl eval end to end on a generated test split', () => {
  it('oracle + scripted user: pass^1 = 1.0, every figure from the verifier', async () => {
    const out = join(dir, 'oracle');
    const r = await tarl(['eval', '--data', data, '--split', 'test', '--agent', 'oracle', '--user', 'scripted', '--trials', '2', '--concurrency', '4', '--out', out, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const res = results(out);
    expect(res.complete).toBe(true);
    expect(res.summary.episodes).toBe(120);
    expect(res.summary.passHatK).toEqual({ 1: 1, 2: 1 });
    expect(r.stdout).toContain('pass^1 1.000');
    for (const f of ['run.json', 'episodes.jsonl', 'results.json', 'taubench-results.json', 'report.html']) expect(existsSync(join(out, f)), f).toBe(true);
    const tau = JSON.parse(readFileSync(join(out, 'taubench-results.json'), 'utf8')) as { task_id: number; reward: number; trial: number }[];
    expect(tau).toHaveLength(120);
  });

  it('flawed agent: pass^1 equals the share of episodes whose injection cannot change the outcome', async () => {
    const out = join(dir, 'flawed');
    const r = await tarl(['eval', '--data', data, '--split', 'test', '--agent', 'flawed', '--user', 'scripted', '--trials', '3', '--out', out, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const episodes = RunDir.open(out).episodes().episodes;
    const harmful = (e: (typeof episodes)[number]): boolean => {
      const inj = e.injection as { kind?: string; turn?: number } | undefined;
      return !!inj && (OUTCOME_CHANGING as readonly string[]).includes(inj.kind ?? '') && inj.turn !== undefined;
    };
    for (const e of episodes) expect(e.reward, `${e.taskId}#${e.trial} ${JSON.stringify(e.injection)}`).toBe(harmful(e) ? 0 : 1);
    const implied = episodes.filter((e) => !harmful(e)).length / episodes.length;
    const s = results(out).summary;
    expect(s.passHatK[1]).toBeCloseTo(implied, 12);
    expect(implied).toBeGreaterThan(0.2);
    expect(implied).toBeLessThan(0.9);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1200 } });
      await page.goto(`file://${join(out, 'report.html')}`);
      const plots = page.locator('figure.plot svg');
      expect(await plots.count()).toBe(4);
      for (let i = 0; i < 4; i++) {
        const st = await pixelStats(browser, await plots.nth(i).screenshot());
        expect(st.distinctColours, `plot ${i}`).toBeGreaterThan(6);
        expect(st.nonWhite, `plot ${i}`).toBeGreaterThan(0.02);
      }
      // At most INLINE_EPISODES drawn in full (failures first); the rest linked into `tarl view`.
      expect(episodes.length).toBeGreaterThan(INLINE_EPISODES);
      expect(await page.locator('details.episode').count()).toBe(INLINE_EPISODES);
      expect(await page.locator('table.linked a').count()).toBe(episodes.length - INLINE_EPISODES);
      expect(await page.locator('details.episode.passed').count()).toBe(INLINE_EPISODES - episodes.filter((e) => e.reward < 1).length);
    } finally {
      await browser.close();
    }

    const plot = join(dir, 'compare.html');
    const cmp = await tarl(['eval', 'compare', join(dir, 'oracle'), out, '--iterations', '500', '--html', plot]);
    expect(cmp.code, cmp.stderr).toBe(0);
    expect(readFileSync(plot, 'utf8')).toContain('per-task success rate, B − A');
    expect(cmp.stdout).toMatch(/pass\^1: A 1\.000 {2}B 0\.\d+ {2}B−A -0\.\d+ {2}95% CI \[-0\.\d+, -0\.\d+\]/);
  });
});

describe('tarl eval with model-driven roles (local OpenAI-compatible server)', () => {
  let server: ScriptedLlmServer;
  const HOSTILE = '<script>window.__pwned = 1</script>';
  // Agent requests carry tools; the user simulator's do not. Each reply is slow enough that a
  // run of 30 episodes takes seconds, so it can be killed part-way.
  const script = (req: RecordedRequest) => {
    const body = req.body as { tools?: unknown[]; messages: { role: string }[] };
    if (body.tools) return { kind: 'delay' as const, ms: 25, then: text('Could you tell me more? <b>bold</b>') };
    const userTurns = body.messages.filter((m) => m.role === 'assistant').length;
    return { kind: 'delay' as const, ms: 25, then: text(userTurns === 0 ? `${HOSTILE} I need help with my order.` : 'Thanks, bye. ###STOP###') };
  };
  beforeAll(async () => {
    server = await ScriptedLlmServer.start(script);
  });
  afterAll(async () => {
    await server.close();
  });
  const args = (out: string) => [
    'eval', '--data', data, '--split', 'test', '--tasks', '0-9', '--trials', '3', '--concurrency', '2', '--out', out, '--no-progress',
    '--agent', 'tool-calling', '--agent-model', 'scripted-agent', '--agent-base-url', server.baseUrl,
    '--user', 'llm', '--user-model', 'scripted-user', '--user-base-url', server.baseUrl,
  ];

  it('kill -9 mid-run, then --resume: the same summary as an uninterrupted run, no episode twice', async () => {
    const full = join(dir, 'llm-full');
    const r = await tarl(args(full));
    expect(r.code, r.stderr).toBe(0);
    const want = results(full).summary;
    expect(want.episodes).toBe(30);
    expect(readFileSync(join(full, 'report.html'), 'utf8')).not.toContain(HOSTILE);

    const cut = join(dir, 'llm-cut');
    const child: ChildProcess = spawn(process.execPath, [TARL, ...args(cut)], { cwd: REPO_ROOT, stdio: 'ignore' });
    const log = join(cut, 'episodes.jsonl');
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const n = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
      if (n >= 6) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    child.kill('SIGKILL');
    await new Promise((res) => child.once('exit', res));
    const partial = RunDir.open(cut).episodes();
    expect(partial.episodes.length).toBeGreaterThanOrEqual(6);
    expect(partial.episodes.length).toBeLessThan(30);

    const resumed = await tarl([...args(cut), '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const got = results(cut).summary;
    const after = RunDir.open(cut).episodes();
    expect(after.duplicates).toBe(0);
    expect(after.episodes).toHaveLength(30);
    expect(got.passHatK).toEqual(want.passHatK);
    expect(got.perTask).toEqual(want.perTask);
    expect(got.terminations).toEqual(want.terminations);
    expect(got.stepsPerEpisode).toEqual(want.stepsPerEpisode);
  });

  it('refuses to resume with a different configuration', async () => {
    const r = await tarl([...args(join(dir, 'llm-full')).map((a) => (a === '3' ? '2' : a)), '--resume']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/trials differs/);
  });
});
