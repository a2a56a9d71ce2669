import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StepRecord, Trajectory } from '../src/episode/trajectory.ts';
import { renderReport } from '../src/eval/report/html.ts';
import { summarize } from '../src/eval/summary.ts';
import { launchChromium, pixelStats } from './support/browser.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const HOSTILE = '<script>window.__pwned = 1; alert(1)</script><img src=x onerror="window.__pwned=2">';

function episode(taskId: string, index: number, trial: number, reward: number, turns: number): Trajectory {
  const steps: StepRecord[] = Array.from({ length: turns }, (_, turn) => ({
    turn, action: { type: 'respond', content: `wait, reply ${turn}` }, messageIndex: 2 + 2 * turn, userReply: HOSTILE, wallMs: 1,
  }));
  return {
    schema: 1, taskId, domain: 'retail', split: 'test', taskIndex: index, trial, seed: 0, agent: 'a', user: 'u',
    messages: [{ role: 'system', content: 'policy' }, { role: 'user', content: HOSTILE }, ...steps.flatMap((s) => [
      { role: 'assistant' as const, content: `wait, reply ${s.turn}` }, { role: 'user' as const, content: HOSTILE }])],
    steps, termination: reward ? 'user_stop' : 'max_steps', reward,
    judge: { judge: 'oracle', status: 'ok', verdicts: steps.map((s) => ({ turn: s.turn, score: s.turn === 0 && !reward ? -1 : 1, rationale: HOSTILE })) },
    usage: { agent: { promptTokens: 5, completionTokens: 3, costUsd: 0 }, user: { promptTokens: 0, completionTokens: 0, costUsd: 0 } },
    wallMs: 1, startedAt: '',
  };
}

describe('HTML report', () => {
  it('renders non-blank plots in headless Chromium and keeps injected markup inert', async () => {
    const eps: Trajectory[] = [];
    for (let i = 0; i < 6; i++) for (let trial = 0; trial < 3; trial++) eps.push(episode(`test/${i}`, i, trial, (i + trial) % 3 === 0 ? 0 : 1, 1 + ((i + trial) % 4)));
    const summary = summarize(eps, eps.filter((e) => e.trial === 0).map((e) => e.taskId), 3);
    const html = renderReport({ title: `Run ${HOSTILE}`, summary, episodes: eps, meta: { agent: HOSTILE } });
    expect(html).not.toContain('<script>');
    const file = join(dir, 'report.html');
    writeFileSync(file, html);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 1400 } });
      const dialogs: string[] = [];
      page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
      await page.goto(`file://${file}`);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
      expect(dialogs).toEqual([]);
      expect(await page.locator('details.episode').count()).toBe(18);
      expect(await page.locator('body').innerText()).toContain('<script>window.__pwned = 1');
      const plots = page.locator('figure.plot svg');
      expect(await plots.count()).toBe(4);
      for (let i = 0; i < 4; i++) {
        const stats = await pixelStats(browser, await plots.nth(i).screenshot());
        // A blank plot is one or two flat colours; ours have axes, text and coloured marks.
        expect(stats.distinctColours, `plot ${i}`).toBeGreaterThan(6);
        expect(stats.nonWhite, `plot ${i}`).toBeGreaterThan(0.02);
      }
      const heat = await pixelStats(browser, await plots.nth(3).screenshot(), [[0x2e, 0x9d, 0x4f], [0xd2, 0x46, 0x3c]]);
      expect(heat.near[0]).toBeGreaterThan(50); // green success cells
      expect(heat.near[1]).toBeGreaterThan(50); // red failure cells
      await page.locator('figure.plot svg a').first().click();
      expect(page.url()).toMatch(/#ep-test_0-0$/);
    } finally {
      await browser.close();
    }
  });
});
