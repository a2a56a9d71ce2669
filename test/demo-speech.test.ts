/**
 * The demo's speech stage (`tarl demo --modality mixed`), CI-sized: from the shipped starter, the
 * text RL, then a short mixed-modality RL run on the tiny Omni model with held-out evals split by
 * modality; its figures in demo.json, the report and the CLI output agree with the run's own
 * records; a second run resumes without redoing anything; bad flags are named.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoConfigSchema } from '../src/demo/config.ts';
import { runDemo } from '../src/demo/pipeline.ts';
import type { Summary } from '../src/eval/summary.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { startTrainer, type TrainerProcess } from '../src/trainer/process.ts';
import { tarl } from './support/cli.ts';
import { tempDir } from './support/files.ts';

let dir: string;
let cleanup: () => Promise<void>;
let svc: TrainerProcess;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('tarl-demo-speech-'));
  // Generous: on a shared, loaded machine importing torch alone can take minutes.
  svc = await startTrainer({ threads: 2, startupTimeoutMs: 900_000 });
}, 960_000);
afterAll(async () => {
  await svc?.stop();
  await cleanup?.();
});

const config = demoConfigSchema.parse({
  seed: 5,
  data: { trainTasks: 24, trainWorlds: 2, testTasks: 8 },
  rl: { steps: 1, tasksPerStep: 2, groupSize: 2, maxTokens: 24, maxTurns: 4 },
  eval: { tasks: 6, trials: 1 },
  speech: { modality: 'mixed', speechRatio: 0.5, voice: { rate: 260 }, steps: 1, tasksPerStep: 2, groupSize: 4, maxTokens: 10, maxTurns: 2, evalTasks: 8 },
});

describe('tarl demo --modality mixed', () => {
  it('runs a speech stage after the text RL and reports it by modality', async () => {
    const out = join(dir, 'mixed');
    const stages: string[] = [];
    const s = await runDemo({ config, out, service: svc, onProgress: (p) => stages.at(-1) !== p.stage && stages.push(p.stage) });
    expect(stages).toEqual(['data', 'sft', 'rl', 'speech', 'report', 'done']);
    expect(JSON.parse(readFileSync(join(out, 'demo.json'), 'utf8'))).toEqual(s);
    const sp = s.speech!;
    expect(sp).toMatchObject({ modality: 'mixed', speechRatio: 0.5, steps: 1 });

    // The speech run: tiny-omni, both modalities in its rollouts, audio on disk.
    const run = RunDir.open(join(out, 'speech'));
    expect(run.manifest().config).toMatchObject({ model: { base: { preset: 'tiny-omni' } }, speech: { modality: 'mixed', speechRatio: 0.5 } });
    const rollouts = run.episodes().episodes;
    const spoken = rollouts.filter((e) => e.modality === 'speech');
    expect(spoken.length).toBeGreaterThan(0);
    expect(rollouts.some((e) => e.modality === 'text')).toBe(true);
    for (const e of spoken) for (const a of e.steps.flatMap((x) => x.tokens?.deltaAudio ?? [])) expect(existsSync(join(out, 'speech', 'audio', `${a.sha256}.wav`))).toBe(true);

    // Held-out figures by modality are the eval runs' own (trials = 1: pass^1 = share of successes).
    for (const [step, figs] of [[0, sp.before], [1, sp.after]] as const) {
      const res = JSON.parse(readFileSync(join(out, 'speech', 'evals', `step-${step}`, 'results.json'), 'utf8')) as { summary: Summary };
      for (const m of ['text', 'speech'] as const) {
        const ms = res.summary.byModality?.[m];
        expect(ms, `step ${step} ${m}`).toBeDefined();
        expect(figs[m]!.episodes).toBe(ms!.episodes);
        expect(figs[m]!.pass1).toBeCloseTo(ms!.passHatK['1']!, 10);
        expect(figs[m]!.floor).toBeGreaterThanOrEqual(0);
        expect(figs[m]!.floor).toBeLessThanOrEqual(1);
      }
      expect(figs.text!.episodes + figs.speech!.episodes).toBe(8);
    }

    // Costs per spoken training episode: bytes are a 44-byte header and 2 bytes a sample per utterance.
    const k = sp.costs!;
    expect(k.episodes).toBe(spoken.length);
    expect(k.ttsSecondsPerEpisode).toBeGreaterThan(0);
    const utterancesPerEpisode = k.utterances / k.episodes;
    expect(k.audioBytesPerEpisode).toBeCloseTo(44 * utterancesPerEpisode + 2 * 16000 * k.audioSecondsPerEpisode, -2);
    const metrics = run.metrics().filter((l) => l['perf/train_tokens'] !== undefined);
    expect(sp.trainTokensPerSecond).toBeCloseTo(metrics[0]!['perf/train_tokens_per_s']!, 6);
    expect(sp.audioTokenShare).toBeCloseTo(metrics[0]!['perf/audio_tokens']! / metrics[0]!['perf/train_tokens']!, 10);
    expect(sp.audioTokenShare).toBeGreaterThan(0);
    expect(sp.audioTokenShare).toBeLessThan(1);

    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<h2>Speech stage</h2>');
    expect(html).toContain(`<tr><th>speech</th><td>${sp.before.speech!.episodes}</td>`);
    expect(html).toContain(Math.round(k.audioBytesPerEpisode).toLocaleString('en-US'));

    // Every stage is complete: a second run redoes none of them and reports the same figures.
    const again = await runDemo({ config, out, service: svc });
    expect({ ...again.speech, seconds: 0 }).toEqual({ ...sp, seconds: 0 });
    expect(again.speech!.seconds).toBeLessThan(sp.seconds);
  }, 600_000);

  it('bad speech flags are named before anything runs', async () => {
    const out = join(dir, 'bad');
    const r = await tarl(['demo', '--modality', 'spoken', '--out', out, '--no-progress']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--modality: Invalid option/);
    const r2 = await tarl(['demo', '--voice', 'espeak-ng:rate=200', '--out', out, '--no-progress']);
    expect(r2.stderr).toMatch(/--voice and --send-transcript need --modality mixed or speech/);
    const r3 = await tarl(['demo', '--modality', 'mixed', '--voice', 'espeak-ng:binary=/nope/espeak-ng', '--out', out, '--no-progress']);
    expect(r3.code).not.toBe(0);
    expect(r3.stderr).toMatch(/espeak-ng not found .*apt-get install espeak-ng/);
    const r4 = await tarl(['demo', '--modality', 'mixed', '--set', 'speech.steps=0', '--out', out, '--no-progress']);
    expect(r4.stderr).toMatch(/demo config:[\s\S]*speech\.steps/);
    expect(existsSync(out)).toBe(false);
  }, 120_000);
});
