/**
 * The embedded demo end to end, CI-sized: from scratch (world → tokenizer → SFT → starter written →
 * RL → held-out before/after → report), then the default path from the shipped starter checkpoint
 * (verified by hash); the report opens in Chromium with drawn plots.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfigSchema } from '../src/demo/config.ts';
import { runDemo, type DemoSummary } from '../src/demo/pipeline.ts';
import { readStarter } from '../src/demo/starter.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { startTrainer, type TrainerProcess } from '../src/trainer/process.ts';
import { launchChromium, pixelStats } from './support/browser.ts';
import { tempDir } from './support/files.ts';

let dir: string;
let cleanup: () => Promise<void>;
let svc: TrainerProcess;
let browser: Browser;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('tarl-demo-'));
  svc = await startTrainer({ threads: 2, startupTimeoutMs: 90_000 });
  browser = await launchChromium();
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await svc?.stop();
  await cleanup?.();
});

/** A few RL and eval episodes: what the pipeline does, not how well. */
const small = {
  data: { trainTasks: 24, trainWorlds: 2, testTasks: 6 },
  rl: { steps: 1, tasksPerStep: 2, groupSize: 2, maxTokens: 24, maxTurns: 4 },
  eval: { tasks: 6, trials: 1 },
};

function checkSummary(s: DemoSummary, out: string): void {
  expect(JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8'))).toEqual(s);
  expect(s.tasks).toBe(6);
  expect(s.writeTasks).toBeGreaterThan(0);
  expect(s.floor).toBeCloseTo((s.tasks - s.writeTasks) / s.tasks, 10);
  for (const x of [s.sft.pass1, s.rl.pass1, s.sft.pass1_write!, s.rl.pass1_write!]) expect(x).toBeGreaterThanOrEqual(0);
  expect(s.delta).toBeCloseTo(s.rl.pass1_write! - s.sft.pass1_write!, 10);
  expect(s.ci95[0]).toBeLessThanOrEqual(s.delta);
  expect(s.ci95[1]).toBeGreaterThanOrEqual(s.delta);
  const rl = RunDir.open(join(out, 'rl')).metrics();
  expect(rl.filter((l) => l['eval/pass1_write'] !== undefined).map((l) => l.step)).toEqual([0, 1]);
}

describe('tarl demo pipeline', () => {
  it('from scratch: trains a tokenizer and SFT, writes a starter that verifies, then RL and the held-out comparison', async () => {
    const out = join(dir, 'scratch');
    const starterDir = join(dir, 'starter');
    const config = demoConfigSchema.parse({
      seed: 3, from: 'scratch', writeStarter: true, starterDir, ...small,
      tokenizer: { vocab: 300, demos: 24 }, model: { layers: 1, hidden: 32, heads: 2, kvHeads: 1, maxPositions: 2048 }, sft: { steps: 3, batchTokens: 4096 },
    });
    const stages = new Set<string>();
    const s = await runDemo({ config, out, service: svc, onProgress: (p) => stages.add(p.stage) });
    expect([...stages]).toEqual(['data', 'tokenizer', 'sft', 'rl', 'report', 'done']);
    checkSummary(s, out);
    expect(existsSync(join(out, 'tokenizer', 'tokenizer.json'))).toBe(true);
    const starter = readStarter(starterDir);
    expect(starter.manifest.build).toMatchObject({ seed: 3, sftSteps: 3, command: expect.stringContaining('tarl demo --from-scratch --write-starter --seed 3 --set sft.steps=3') });
    expect(readFileSync(starter.metrics, 'utf8')).toBe(readFileSync(join(out, 'sft', 'metrics.jsonl'), 'utf8'));
  }, 600_000);

  it('by default starts RL from the shipped starter checkpoint; the report draws its plots in Chromium', async () => {
    const out = join(dir, 'default');
    const s = await runDemo({ config: demoConfigSchema.parse({ seed: 5, ...small }), out, service: svc });
    checkSummary(s, out);
    expect(existsSync(join(out, 'sft'))).toBe(false); // no SFT: the starter is the start
    expect(s.sft.pass1).toBeGreaterThan(0); // a trained policy, not a random one

    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(pathToFileURL(join(out, 'report.html')).href);
    expect(await page.locator('h1').innerText()).toMatch(/TARL demo — starter world, seed 5/);
    const plots = page.locator('div.plots svg');
    expect(await plots.count()).toBeGreaterThanOrEqual(7);
    for (const i of [0, 2, 3]) {
      const px = await pixelStats(browser, await plots.nth(i).screenshot());
      expect(px.distinctColours, `plot ${i}`).toBeGreaterThan(4);
      expect(px.nonWhite, `plot ${i}`).toBeGreaterThan(0.01);
    }
    expect(await page.locator('text=/paired bootstrap over tasks/').count()).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 600_000);
});
