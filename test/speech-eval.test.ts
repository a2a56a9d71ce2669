import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import type { Summary } from '../src/eval/summary.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { startViewer } from '../src/web/server.ts';
import { launchChromium } from './support/browser.ts';
import { tarl } from './support/cli.ts';
import { ScriptedLlmServer, text, toolCall } from './support/llm-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-speech-eval-'));
const data = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  generateDataset(data, { domain: 'starter', seed: 3, users: 20, tasks: 4, dev: 0, test: 8, singleRequest: true, kinds: ['cancel_order', 'order_status'] });
});

type Part = { type: string };
const spoken = (body: Record<string, unknown>): number =>
  (body.messages as { role: string; content: unknown }[]).filter((m) => m.role === 'user' && Array.isArray(m.content) && (m.content as Part[]).some((p) => p.type === 'input_audio')).length;

describe('tarl eval --modality mixed', () => {
  it('runs spoken and text episodes against the local server and reports every figure by modality', async () => {
    const server = await ScriptedLlmServer.start((req, i) => (i % 3 === 1 ? toolCall('get_order', { order_id: '#W1' }) : text('Could you tell me the order number again?')));
    const out = join(dir, 'mixed');
    try {
      const r = await tarl([
        'eval', '--data', data, '--split', 'test', '--agent', 'tool-calling', '--agent-model', 'm', '--agent-base-url', server.baseUrl, '--user', 'scripted',
        '--trials', '2', '--max-steps', '3', '--concurrency', '4', '--modality', 'mixed', '--speech-ratio', '0.5', '--voice', 'espeak-ng:rate=260', '--out', out, '--no-progress',
      ]);
      expect(r.code, r.stderr).toBe(0);
      const res = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as { summary: Summary; config: Record<string, unknown> };
      const s = res.summary;
      expect(res.config).toMatchObject({ modality: 'mixed', speechRatio: 0.5, voice: { engine: 'espeak-ng', rate: 260, sampleRate: 16000 } });
      expect(s.episodes).toBe(16);
      const text_ = s.byModality!.text!;
      const speech = s.byModality!.speech!;
      expect(text_.episodes + speech.episodes).toBe(16);
      expect(speech.episodes).toBeGreaterThan(0);
      expect(text_.episodes).toBeGreaterThan(0);
      for (const m of [text_, speech]) expect(Object.keys(m.passHatK)).toEqual(['1', '2']);
      expect(s.speech!.episodes).toBe(speech.episodes);
      expect(s.speech!.audioBytesPerEpisode).toBeGreaterThan(10_000);
      expect(s.speech!.ttsSecondsPerEpisode).toBeGreaterThan(0);
      expect(r.stdout).toMatch(/speech: \d+ episodes {3}pass\^1/);
      expect(r.stdout).toMatch(/speech cost per episode: TTS/);

      // The server heard audio exactly in the speech episodes' requests.
      const episodes = RunDir.open(out).episodes().episodes;
      const withAudio = server.bodies.filter((b) => spoken(b) > 0).length;
      const speechTurns = episodes.filter((e) => e.modality === 'speech').reduce((a, e) => a + e.steps.length, 0);
      expect(withAudio).toBe(speechTurns);
      const files = readdirSync(join(out, 'audio'));
      const refs = new Set(episodes.flatMap((e) => e.messages.flatMap((m) => (m.role === 'user' && m.audio ? [`${m.audio.sha256}.wav`] : []))));
      expect(files.sort()).toEqual([...refs].sort());
      expect(readFileSync(join(out, 'episodes.jsonl'), 'utf8')).not.toContain('UklGR');

      // The report: a column per modality, the speech cost, and a player for each spoken turn.
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      expect(html).toContain('<th>text</th><th>speech</th>');
      expect(html).toContain('TTS seconds per episode');
      expect((html.match(/<audio /g) ?? []).length).toBe([...episodes].reduce((a, e) => a + e.messages.filter((m) => m.role === 'user' && m.audio).length, 0));
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        await page.goto(`file://${join(out, 'report.html')}`);
        const duration = await page.locator('audio').first().evaluate(
          (a: HTMLAudioElement) =>
            new Promise<number>((done) => {
              a.addEventListener('loadedmetadata', () => done(a.duration));
              a.addEventListener('error', () => done(-1));
              a.load();
            }),
        );
        expect(duration).toBeGreaterThan(0.3);

        // tarl view: pass^k per modality, and each spoken turn playable from the episode page.
        const view = await startViewer({ runs: [out] });
        try {
          const runHtml = await (await fetch(`${view.url}/runs/0`)).text();
          expect(runHtml).toContain('pass^k (speech)');
          expect(runHtml).toContain('pass^k (text)');
          const n = episodes.findIndex((e) => e.modality === 'speech');
          const epHtml = await (await fetch(`${view.url}/runs/0/episodes/${n}`)).text();
          const src = /<audio controls preload="none" src="([^"]+)"/.exec(epHtml)?.[1];
          expect(src).toMatch(/^\/runs\/0\/files\/audio\/[0-9a-f]{64}\.wav$/);
          const wav = await fetch(`${view.url}${src}`);
          expect(wav.status).toBe(200);
          expect(wav.headers.get('content-type')).toBe('audio/wav');
          expect(Buffer.from(await wav.arrayBuffer()).equals(readFileSync(join(out, src!.replace('/runs/0/files/', ''))))).toBe(true);
          const list = await (await fetch(`${view.url}/runs/0/episodes?modality=speech`)).text();
          expect(list).toContain(`${speech.episodes} of 16 episodes`);
          const vpage = await browser.newPage();
          await vpage.goto(`${view.url}/runs/0/episodes/${n}`);
          const played = await vpage.locator('audio').first().evaluate(
            (a: HTMLAudioElement) =>
              new Promise<number>((done) => {
                a.addEventListener('loadedmetadata', () => done(a.duration));
                a.addEventListener('error', () => done(-1));
                a.load();
              }),
          );
          expect(played).toBeGreaterThan(0.3);
        } finally {
          await view.close();
        }
      } finally {
        await browser.close();
      }

      // Resuming with another modality is refused.
      const again = await tarl(['eval', '--data', data, '--split', 'test', '--agent', 'tool-calling', '--agent-model', 'm', '--agent-base-url', server.baseUrl, '--trials', '2', '--max-steps', '3', '--modality', 'speech', '--voice', 'espeak-ng:rate=260', '--out', out, '--resume', '--no-progress']);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/--resume: modality differs/);
    } finally {
      await server.close();
    }
    expect(existsSync(join(out, 'run.json'))).toBe(true);
  });

  it('bad speech flags are named', async () => {
    const r = await tarl(['eval', '--data', data, '--agent', 'oracle', '--modality', 'spoken', '--out', join(dir, 'bad'), '--no-progress']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--modality: Invalid option/);
    const r2 = await tarl(['eval', '--data', data, '--agent', 'oracle', '--modality', 'speech', '--voice', 'espeak-ng:binary=/nope/espeak-ng', '--out', join(dir, 'bad2'), '--no-progress']);
    expect(r2.code).not.toBe(0);
    expect(r2.stderr).toMatch(/espeak-ng not found .*apt-get install espeak-ng/);
    expect(existsSync(join(dir, 'bad2'))).toBe(false); // it failed before creating the run
  });
});
