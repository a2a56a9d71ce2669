import { appendFileSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunDir } from '../src/run/run-dir.ts';
import { startViewer, type ViewServer } from '../src/web/server.ts';
import { launchChromium, pixelStats } from './support/browser.ts';
import { makeDataset, makeEvalRun, makeTrainRun, metricsAt, rollout } from './support/view-runs.ts';

const HOSTILE = '<script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=2">';
const dir = mkdtempSync(join(tmpdir(), 'tarl-view-'));
let server: ViewServer;
let browser: Browser;
let train: RunDir;

beforeAll(async () => {
  const ds = makeDataset(join(dir, 'data'));
  await makeEvalRun(join(dir, 'flawed'), ds, 'flawed', { trials: 2, config: { note: HOSTILE } });
  await makeEvalRun(join(dir, 'oracle'), ds, 'oracle', { trials: 2 });
  train = await makeTrainRun(join(dir, 'train'), ds.dir, 6, { hostile: HOSTILE });
  await makeEvalRun(train.evalRunPath(0), ds, 'flawed', { trials: 1 });
  await makeEvalRun(train.evalRunPath(4), ds, 'oracle', { trials: 1 });
  // A run whose files are damaged: a corrupt line (quoting hostile text), a record with a wrong
  // field, a torn last line, a malformed metrics line; and a run whose run.json is not JSON.
  const broken = join(dir, 'broken');
  cpSync(join(dir, 'train'), broken, { recursive: true });
  appendFileSync(join(broken, 'episodes.jsonl'), `${HOSTILE}\n${JSON.stringify({ ...rollout(9, 0, 0, { reward: 1, advantages: [1, 1], kept: true }), messages: [{ role: 'assistant', content: 7 }] })}\n{"taskId":"tr`);
  appendFileSync(join(broken, 'metrics.jsonl'), `{"step":6,"reward/mean":"${HOSTILE.replace(/"/g, '\\"')}"}\n{"step":7,"reward/mean":0.9}\n{"step":8,`);
  mkdirSync(join(dir, 'badjson'));
  writeFileSync(join(dir, 'badjson', 'run.json'), '{"schema": 1, "kind": ');
  symlinkSync('/etc/passwd', join(dir, 'flawed', 'passwd'));
  server = await startViewer({ runs: ['flawed', 'oracle', 'train', 'broken', 'badjson'].map((d) => join(dir, d)) });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A page that records script errors, dialogs and whether injected markup ever ran. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(server.url + path);
  return { page, problems };
}

const pwned = (page: Page): Promise<unknown> => page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned);

/** A GET with the path sent byte for byte (fetch would resolve `..` before sending). */
function rawGet(path: string, host = `127.0.0.1:${server.port}`): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: server.port, path, method: 'GET', headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('tarl view in Chromium', () => {
  it('eval run: filter to failures, open one, the −1 turn is highlighted with its rationale and the diff is beside it', async () => {
    const { page, problems } = await open('/');
    expect(await page.locator('section.runcard').count()).toBe(5);
    await page.getByRole('link', { name: join(dir, 'flawed'), exact: true }).click();
    await page.getByRole('link', { name: /^episodes \(\d+\)$/ }).click();
    await page.selectOption('select[name=outcome]', 'fail');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/outcome=fail/);
    const rows = page.locator('table.episodes tbody tr');
    const n = await rows.count();
    expect(n).toBeGreaterThan(0);
    expect(await page.locator('table.episodes tbody tr.pass').count()).toBe(0);
    expect(await page.locator('.pager').first().innerText()).toMatch(new RegExp(`^${n} of \\d+ episodes`));
    await rows.first().locator('a').first().click();
    await page.waitForURL(/\/episodes\/\d+\?outcome=fail$/);

    const neg = page.locator('.turn.v-neg');
    expect(await neg.count()).toBe(1);
    await expect.poll(() => neg.isVisible()).toBe(true);
    const verdict = await neg.locator('.verdict.sneg').innerText();
    expect(verdict).toMatch(/^turn \d+: −1 — \S.+/);
    expect(await page.locator('aside.side').innerText()).toMatch(/Database diff \(\d+ records?\)[\s\S]*expected[\s\S]*got/);
    expect(await page.locator('aside.side ol.gt li').count()).toBeGreaterThan(0);
    // The highlight is on screen: the −1 turn's background and outline, next to plenty of text.
    const shot = await pixelStats(browser, await neg.screenshot(), [[0xfd, 0xe3, 0xe1], [0xc6, 0x28, 0x28]], 12);
    expect(shot.near[0]).toBeGreaterThan(500);
    expect(shot.near[1]).toBeGreaterThan(100);
    const full = await pixelStats(browser, await page.screenshot());
    expect(full.distinctColours).toBeGreaterThan(12);
    expect(full.nonWhite).toBeGreaterThan(0.03);
    // Next failure, within the filter.
    await page.getByRole('link', { name: 'next ›' }).click();
    expect(await page.locator('.turn.v-neg').count()).toBe(1);
    expect(problems).toEqual([]);
    // The static report draws its episodes with the same renderer.
    const report = await rawGet('/runs/0/files/report.html');
    expect(report.status).toBe(200);
    expect(report.body).toContain('<div class="turn v-neg"');
    expect(report.headers['content-security-policy']).toContain("default-src 'none'");
    await page.close();
  });

  it('training run: curves drawn, a rollout’s tokens shaded by advantage with the masked ones set apart', async () => {
    const { page, problems } = await open('/runs/2');
    await page.waitForSelector('#curves[data-lines="6"]');
    const figures = page.locator('#curves .plots figure.plot');
    const titles = await figures.locator('figcaption').allInnerTexts();
    for (const t of ['reward (shaped) and training success', 'held-out pass^1', 'losses', 'KL', 'entropy', 'clip fraction', 'episode length (agent turns)', 'throughput (trained tokens/s)']) expect(titles).toContain(t);
    for (let i = 0; i < titles.length; i++) expect((await figures.nth(i).locator('polyline').first().getAttribute('points'))!.split(' ').length, titles[i]).toBeGreaterThan(2);
    for (const i of [0, 2, 3]) {
      const st = await pixelStats(browser, await figures.nth(i).locator('svg').screenshot());
      expect(st.distinctColours, titles[i]).toBeGreaterThan(6);
      expect(st.nonWhite, titles[i]).toBeGreaterThan(0.02);
    }
    const all = await pixelStats(browser, await page.locator('#curves .plots').first().screenshot(), [[0xc2, 0x47, 0x4a], [0x4a, 0x78, 0xc2]], 20);
    expect(all.near[0]).toBeGreaterThan(1000); // the first series of every chart
    expect(all.near[1]).toBeGreaterThan(300);
    expect(await page.locator('body').innerText()).toMatch(/Held-out evaluations[\s\S]*step/);

    // A rollout with a −1: sampled tokens shaded red (negative advantage), context tokens masked.
    await page.goto(`${server.url}/runs/2/episodes?neg=1&step=2`);
    await page.locator('table.episodes tbody tr a').first().click();
    const sampled = page.locator('.toks').first().locator('.tokseq.sampled');
    expect(await sampled.locator('.t.a-n5, .t.a-n4').count()).toBeGreaterThan(20);
    expect(await sampled.innerText()).toContain('"name": "cancel_order"');
    expect(await page.locator('.toks .ctx .t.m').count()).toBeGreaterThan(20);
    const shade = await pixelStats(browser, await page.locator('.toks').first().screenshot(), [[0xd2, 0x46, 0x3c], [0xe2, 0xe2, 0xe2]], 10);
    expect(shade.near[0]).toBeGreaterThan(300); // negative shade
    expect(shade.near[1]).toBeGreaterThan(100); // masked stripes
    expect(await page.locator('.toks .t[title*="A −"], .toks .t[title*="A -"]').count()).toBeGreaterThan(0);

    // A rollout of a dropped group: every sampled token masked, and said so.
    await page.goto(`${server.url}/runs/2/episodes?step=1`);
    const row = page.locator('table.episodes tbody tr', { hasText: 'dropped' });
    expect(await row.count()).toBe(1);
    await row.locator('a').first().click();
    expect(await page.locator('.tokseq.sampled.masked').count()).toBe(2);
    expect(await page.locator('.tokseq.sampled .t:not(.m)').count()).toBe(0);
    expect(await page.locator('.tokhead').first().innerText()).toContain('masked: the group carried no signal');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('a live run: appended metrics lines make the curves grow without a reload', async () => {
    const { page, problems } = await open('/runs/2');
    await page.waitForSelector('#curves[data-lines="6"]');
    const points = async (): Promise<number> => (await page.locator('figure[data-plot="reward (shaped) and training success"] polyline').first().getAttribute('points'))!.split(' ').length;
    expect(await points()).toBe(6);
    for (let s = 6; s < 9; s++) train.appendMetrics(s, metricsAt(s));
    // A line being written (no newline yet) waits for its newline.
    appendFileSync(train.path('metrics.jsonl'), '{"step":9,"reward/mean":');
    await page.waitForSelector('#curves[data-lines="9"]', { timeout: 15_000 });
    expect(await points()).toBe(9);
    appendFileSync(train.path('metrics.jsonl'), '0.7}\n');
    await page.waitForSelector('#curves[data-lines="10"]', { timeout: 15_000 });
    expect(await points()).toBe(10);
    expect(await page.locator('#curves .status').innerText()).toMatch(/10 metrics lines, last step 9/);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('text from models, users and files stays inert', async () => {
    for (const path of ['/', '/runs/0', '/runs/2/episodes?q=window.__pwned', '/runs/3', '/runs/3/episodes']) {
      const { page, problems } = await open(path);
      await page.waitForTimeout(300);
      expect(await pwned(page), path).toBeUndefined();
      expect(problems, path).toEqual([]);
      await page.close();
    }
    // The search finds the hostile rollouts; their page shows the markup as text.
    const { page, problems } = await open('/runs/2/episodes?q=%3Cscript%3Ewindow.__pwned');
    expect(await page.locator('table.episodes tbody tr').count()).toBe(6);
    await page.locator('table.episodes tbody tr a').first().click();
    expect(await page.locator('.conv').innerText()).toContain(HOSTILE);
    expect(await page.locator('.tokseq.sampled').nth(1).innerText()).toContain('<script>window.__pwned=1');
    expect(await pwned(page)).toBeUndefined();
    expect(problems).toEqual([]);
    const overview = await rawGet('/');
    expect(overview.body).not.toContain('<script>window');
    expect(overview.body).toContain('&lt;script&gt;window.__pwned=1');
    expect(overview.headers['content-security-policy']).toContain("script-src 'self'");
    await page.close();
  });

  it('malformed and truncated run files are reported on the page', async () => {
    const { page, problems } = await open('/runs/3');
    const text = await page.locator('.problems').first().innerText();
    expect(text).toMatch(/episodes\.jsonl line \d+: not JSON/);
    expect(text).toMatch(/episodes\.jsonl ends in \d+ bytes without a newline/);
    await page.waitForSelector('#curves ul.problems-live li');
    expect(await page.locator('#curves ul.problems-live').innerText()).toMatch(/metrics\.jsonl line 7: .*reward\/mean/);
    await page.waitForSelector('#curves[data-lines="7"]'); // the good line after the bad one counts; the torn one waits
    // The record with a wrong field: its page says which field, and shows the record as text.
    const idx = await server.catalog.index(server.catalog.get('3')!);
    const bad = idx.count - 1;
    await page.goto(`${server.url}/runs/3/episodes/${bad}`);
    expect(await page.locator('.problems').innerText()).toMatch(/episodes\.jsonl:\d+: not a trajectory record[\s\S]*messages/);
    expect(await page.locator('details pre').innerText()).toContain('"content":7');
    await page.goto(`${server.url}/`);
    expect(await page.locator('section.runcard', { hasText: 'badjson' }).locator('.problems').innerText()).toMatch(/run\.json could not be read/);
    await page.goto(`${server.url}/runs/4`);
    expect(await page.locator('.problems').innerText()).toMatch(/run\.json/);
    expect(await pwned(page)).toBeUndefined();
    expect(problems).toEqual([]);
    await page.close();
  });

  it('compare: flipped tasks, per-task rates and the two trajectories side by side', async () => {
    const { page, problems } = await open('/compare?a=0&b=1');
    expect(await page.locator('.headline').innerText()).toMatch(/pass\^1 over shared tasks: A 0\.\d+ → B 1\.000/);
    expect(await page.locator('.flips.lost li').count()).toBe(0);
    const won = page.locator('.flips.won li a');
    expect(await won.count()).toBeGreaterThan(0);
    await won.first().click();
    expect(await page.locator('.sidebyside .col').count()).toBe(2);
    expect(await page.locator('.sidebyside .col').nth(0).locator('.turn.v-neg').count()).toBe(1);
    expect(await page.locator('.sidebyside .col').nth(1).locator('.turn.v-neg').count()).toBe(0);
    // Two checkpoints of one training run: its held-out evals at steps 0 and 4.
    await page.goto(`${server.url}/runs/2`);
    await page.getByRole('link', { name: 'compare step 0 with step 4' }).click();
    expect(await page.locator('.headline').innerText()).toMatch(/A 0\.\d+ → B 1\.000/);
    expect(problems).toEqual([]);
    await page.close();
  });
});

describe('tarl view refuses what is not its own', () => {
  it('path traversal, symlinks out of a run, foreign hosts and unknown runs', async () => {
    for (const path of ['/runs/0/files/../../../../etc/passwd', '/runs/0/files/..%2f..%2f..%2fetc%2fpasswd', '/runs/0/files/%2e%2e/%2e%2e/etc/passwd', '/runs/0/files/%2E%2E%5C..%5Cetc', '/runs/0/files/passwd', '/../../etc/passwd']) {
      const r = await rawGet(path);
      expect(r.status, path).toBe(403);
      expect(r.body, path).toMatch(/^refused: /);
      expect(r.body).not.toContain('root:');
    }
    const ok = await rawGet('/runs/0/files/run.json');
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(JSON.parse(ok.body)).toMatchObject({ kind: 'eval' });
    expect((await rawGet('/runs/0/files/nope.json')).status).toBe(404);
    expect((await rawGet('/runs/9')).status).toBe(404);
    expect((await rawGet('/runs/0.s3')).status).toBe(404);
    const rebinding = await rawGet('/', 'attacker.example:80');
    expect(rebinding.status).toBe(403);
  });
});
