import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StepRecord, Trajectory } from '../src/episode/trajectory.ts';
import type { Diff } from '../src/eval/compare.ts';
import { renderCompare } from '../src/eval/report/compare-html.ts';
import { renderReport, INLINE_EPISODES, LINKED_EPISODES } from '../src/eval/report/html.ts';
import { barChart } from '../src/eval/report/svg.ts';
import { summarize } from '../src/eval/summary.ts';
import { buildViewApp } from '../src/web/app.ts';
import { RunCatalog } from '../src/web/runs.ts';
import { launchChromium, pixelStats } from './support/browser.ts';
import { makeDataset, makeEvalRun } from './support/view-runs.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-report-layout-'));
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

const RED = [0xc2, 0x47, 0x4a] as [number, number, number];
const BLUE = [0x4a, 0x78, 0xc2] as [number, number, number];

/** An episode record: `outcome` 1 passed, 0 failed, 'error' ended in error. */
function episode(taskId: string, index: number, trial: number, outcome: 1 | 0 | 'error', o: { turns?: number; judged?: boolean; diff?: boolean } = {}): Trajectory {
  const turns = o.turns ?? 2;
  const steps: StepRecord[] = Array.from({ length: turns }, (_, turn) => ({ turn, action: { type: 'respond', content: `reply ${turn}` }, messageIndex: 2 + 2 * turn, userReply: 'ok', wallMs: 1 }));
  const e: Trajectory = {
    schema: 1, taskId, domain: 'retail', split: 'test', taskIndex: index, trial, seed: 0, agent: 'a', user: 'u',
    messages: [{ role: 'system', content: 'policy' }, { role: 'user', content: 'hi' }, ...steps.flatMap((s) => [{ role: 'assistant' as const, content: `reply ${s.turn}` }, { role: 'user' as const, content: 'ok' }])],
    steps, termination: outcome === 'error' ? 'error' : 'user_stop', reward: outcome === 1 ? 1 : 0,
    usage: { agent: { promptTokens: 5, completionTokens: 3, costUsd: 0 }, user: { promptTokens: 0, completionTokens: 0, costUsd: 0 } },
    wallMs: 1, startedAt: '',
  };
  if (outcome === 'error') e.error = `LlmRetryBudgetError: endpoint http://127.0.0.1:9/v1 unreachable after 6 attempts (task ${taskId})`;
  if (o.judged) e.judge = { judge: 'oracle', status: 'ok', verdicts: steps.map((s) => ({ turn: s.turn, score: outcome === 1 ? 1 : s.turn === 0 ? -1 : 0, rationale: 'r' })) };
  if (o.diff) {
    const record = (status: string): string => JSON.stringify({ order_id: '#W1', user_id: 'SEEDED_USER_MARKER', payment_history: [{ amount: 10 }], status });
    e.rewardInfo = { reward: 0, dbMatch: false, mode: 'taubench', outputs: [], diff: [{ table: 'orders', key: '#W1', expected: record('cancelled'), actual: record('pending_changed'), fields: ['status'] }] };
  }
  return e;
}

async function open(html: string, name: string, width = 1400): Promise<Page> {
  const file = join(dir, name);
  writeFileSync(file, html);
  const page = await browser.newPage({ viewport: { width, height: 1000 } });
  await page.goto(`file://${file}`);
  return page;
}

async function noHorizontalScroll(page: Page): Promise<void> {
  const [scroll, client] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  expect(scroll, 'page scrolls sideways').toBeLessThanOrEqual(client);
}

async function nonBlank(page: Page): Promise<void> {
  const stats = await pixelStats(browser, await page.screenshot({ fullPage: false, path: join(dir, `${Math.random().toString(36).slice(2)}.png`) }));
  expect(stats.distinctColours).toBeGreaterThan(10);
  expect(stats.nonWhite).toBeGreaterThan(0.03);
}

describe('report layout in headless Chromium at 1400 px', () => {
  it('an oracle-like run (pass^k = pass@k = 1): both lines visible, non-blank, no sideways scroll, 100-row heat map stretches nothing', async () => {
    const eps: Trajectory[] = [];
    for (let i = 0; i < 100; i++) for (let trial = 0; trial < 3; trial++) eps.push(episode(`test/${i}`, i, trial, 1, { judged: true }));
    const summary = summarize(eps, eps.filter((e) => e.trial === 0).map((e) => e.taskId), 3);
    expect(summary.passHatK).toEqual(summary.passAtK);
    const page = await open(renderReport({ title: 'oracle', summary, episodes: eps, meta: { agent: 'oracle' }, floor: { pass1: 0.17, passed: 17, tasks: 100, verify: 'taubench' } }), 'oracle.html');
    await nonBlank(page);
    await noHorizontalScroll(page);
    const curve = page.locator('figure.plot[data-plot="pass^k and pass@k"] svg');
    // Each colour well beyond its 10×10 legend square: both lines are drawn where they coincide.
    const px = await pixelStats(browser, await curve.screenshot(), [RED, BLUE], 20);
    expect(px.near[0], 'pass^k (red) pixels').toBeGreaterThan(400);
    expect(px.near[1], 'pass@k (blue) pixels').toBeGreaterThan(400);
    expect(await curve.textContent()).toContain('pass^k (= pass@k)');
    // The heat map (100 rows, ~1,600 px) must not stretch the charts that share its row.
    const heights = await page.locator('figure.plot').evaluateAll((fs) => fs.map((f) => [f.getAttribute('data-plot'), f.getBoundingClientRect().height] as const));
    for (const [name, h] of heights) if (name !== 'per-task success over trials') expect(h, `${name} height`).toBeLessThan(300);
    expect(await page.locator('table.headline').innerText()).toMatch(/do-nothing floor 0\.170 \(17 of 100 tasks/);
    expect(await page.locator('table.judge').innerText()).toMatch(/\+1\s+600/);
    await page.close();
  });

  it('errored episodes apart from failures: counts, reasons, amber cells, and failure diffs by changed field', async () => {
    const eps = [episode('test/0', 0, 0, 1), episode('test/1', 1, 0, 0, { diff: true }), episode('test/2', 2, 0, 'error'), episode('test/3', 3, 0, 'error')];
    const summary = summarize(eps, eps.map((e) => e.taskId), 1);
    const html = renderReport({ title: 'errors', summary, episodes: eps, meta: {} });
    const page = await open(html, 'errors.html');
    await noHorizontalScroll(page);
    expect(await page.locator('table.headline').innerText()).toContain('passed 1 · failed 1 · errored 2');
    const errors = await page.locator('table.errors').innerText();
    expect(errors).toMatch(/1\s+LlmRetryBudgetError: endpoint http:\/\/127\.0\.0\.1:9\/v1 unreachable after 6 attempts \(task test\/2\)/);
    expect(await page.locator('details.episode.errored').count()).toBe(2);
    expect(await page.locator('details.episode.failed').count()).toBe(1);
    expect(await page.locator('details.episode.errored summary').first().innerText()).toContain('ERROR');
    const heat = await pixelStats(browser, await page.locator('figure.heat svg').screenshot(), [[0xe6, 0x9a, 0x1c], [0xd2, 0x46, 0x3c], [0x2e, 0x9d, 0x4f]], 12);
    expect(heat.near[0], 'amber (errored) cells').toBeGreaterThan(200);
    expect(heat.near[1], 'red (failed) cells').toBeGreaterThan(100);
    // The diff: the changed field, expected vs got; not the whole records (the unchanged fields).
    await page.locator('details.episode.failed summary').click();
    const diff = await page.locator('details.episode.failed .diff').innerText();
    expect(diff).toMatch(/status\s+"cancelled"\s+"pending_changed"/);
    expect(html).not.toContain('SEEDED_USER_MARKER');
    await page.close();
  });

  it('bar chart ticks land on round values', () => {
    const svg = barChart('t', [{ label: 'a', value: 92 }, { label: 'b', value: 7 }]);
    const ticks = [...svg.matchAll(/text-anchor="end">(\d+)</g)].map((m) => Number(m[1]));
    expect(ticks).toEqual([0, 20, 40, 60, 80, 100]);
    expect([...barChart('t', [{ label: 'a', value: 3 }]).matchAll(/text-anchor="end">(\d+)</g)].map((m) => Number(m[1]))).toEqual([0, 1, 2, 3]);
  });

  it('the compare page uses the width, sorts by difference, and does not scroll sideways', async () => {
    const a = Array.from({ length: 60 }, (_, i) => ({ taskId: `test/${i}`, rewards: [1, 0], successes: i % 3 === 0 ? 2 : i % 3 === 1 ? 1 : 0, trials: 2 }));
    const b = a.map((t, i) => ({ ...t, successes: i % 4 === 0 ? 2 : 0 }));
    const d: Diff = { metric: 'pass^1', a: 0.5, b: 0.25, delta: -0.25, ci: [-0.4, -0.1], level: 0.95 };
    const page = await open(renderCompare('runs/a', 'runs/b', d, a, b), 'compare.html');
    await nonBlank(page);
    await noHorizontalScroll(page);
    const width = await page.locator('figure svg').evaluate((s) => s.getBoundingClientRect().width);
    expect(width).toBeGreaterThan(1000);
    const values = await page.locator('figure svg rect title').allTextContents();
    const diffs = values.filter((t) => t.startsWith('test/')).map((t) => Number(t.split(': ')[1]));
    expect(diffs.length).toBe(60);
    expect(diffs).toEqual([...diffs].sort((x, y) => y - x));
    await page.close();
  });
});

describe('report size for large runs', () => {
  it('10,000 episodes: a bounded number drawn, the rest linked into the viewer, a few MB', async () => {
    const eps: Trajectory[] = [];
    for (let i = 0; i < 2500; i++) for (let trial = 0; trial < 4; trial++) eps.push(episode(`test/${i}`, i, trial, (i + trial) % 5 === 0 ? 0 : (i * 7 + trial) % 97 === 0 ? 'error' : 1, { turns: 6, judged: true, diff: (i + trial) % 5 === 0 }));
    const summary = summarize(eps, [...new Set(eps.map((e) => e.taskId))], 4);
    const html = renderReport({ title: 'big', summary, episodes: eps, meta: {} });
    const bytes = Buffer.byteLength(html);
    expect(bytes).toBeLessThan(3_000_000);
    expect((html.match(/<details class="episode /g) ?? []).length).toBe(INLINE_EPISODES);
    const links = [...html.matchAll(/<a href="\.\.\/episodes\/(\d+)">([^<]+)<\/a>/g)];
    expect(links.length).toBe(LINKED_EPISODES);
    // Errored episodes are drawn first, then failures: every errored one is inline.
    const erroredCount = eps.filter((e) => e.termination === 'error').length;
    expect(erroredCount).toBeLessThan(INLINE_EPISODES);
    expect((html.match(/<details class="episode errored"/g) ?? []).length).toBe(erroredCount);
    // A link's number is the episode's position in episodes.jsonl (the viewer's #n).
    for (const [, n, label] of links.slice(0, 50)) {
      const e = eps[Number(n)]!;
      expect(label).toBe(`${e.taskId} · trial ${e.trial}`);
    }
    const page = await open(html, 'big.html');
    await nonBlank(page);
    await noHorizontalScroll(page);
    await page.close();
  }, 120_000);
});

describe('linked episodes open in tarl view', () => {
  it("a linked episode's URL, resolved from the report as the viewer serves it, is that episode's page", async () => {
    const ds = makeDataset(join(dir, 'starter-data'), 12);
    const run = await makeEvalRun(join(dir, 'starter-run'), ds, 'flawed', { trials: 2 });
    const episodes = run.episodes().episodes;
    const summary = summarize(episodes, [...new Set(episodes.map((e) => e.taskId))], 2);
    run.writeFile('report.html', renderReport({ title: 'linked', summary, episodes, meta: {}, inlineEpisodes: 4 }));
    const app = buildViewApp(new RunCatalog([run.dir]));
    const get = (path: string): Promise<Response> => Promise.resolve(app.request(path, { headers: { host: '127.0.0.1' } }));
    const reportUrl = 'http://127.0.0.1/runs/0/files/report.html';
    const html = await (await get(new URL(reportUrl).pathname)).text();
    const links = [...html.matchAll(/<a href="(\.\.\/episodes\/\d+)">([^<]+)<\/a>/g)];
    expect(links.length).toBe(episodes.length - 4);
    for (const [, href, label] of links.slice(0, 6)) {
      const page = await get(new URL(href!, reportUrl).pathname);
      expect(page.status).toBe(200);
      const [taskId, trial] = label!.split(' · trial ');
      expect(await page.text()).toContain(`${taskId} · trial ${trial}`);
    }
  }, 60_000);
});
