/**
 * A short `tarl train --modality mixed` run on the tiny Qwen2.5-Omni-architecture model: spoken
 * and typed rollouts in one step, audio spans in the token records, the update on-policy with
 * audio in the prompts, metrics split by modality, a held-out eval that speaks too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import type { Summary } from '../src/eval/summary.ts';
import { episodeTokens } from '../src/rl/episode-tokens.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { tarl } from './support/cli.ts';
import { tempDir } from './support/files.ts';

let dir: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const t = await tempDir('tarl-speech-train-');
  dir = t.dir;
  cleanup = t.cleanup;
  generateDataset(join(dir, 'data'), { domain: 'starter', seed: 6, tasks: 8, dev: 0, test: 2, singleRequest: true });
});
afterAll(async () => cleanup?.());

describe('tarl train --modality mixed', () => {
  it('trains the tiny Omni model on interleaved speech and text rollouts', async () => {
    const out = join(dir, 'run');
    const r = await tarl(
      [
        'train', '--data', join(dir, 'data'), '--modality', 'mixed', '--speech-ratio', '0.5', '--voice', 'espeak-ng:rate=260',
        '--set', 'model.base={"preset":"tiny-omni"}', '--set', 'steps=2', '--set', 'seed=1', '--set', 'sampler.maxTokens=10',
        '--set', 'rollout.groupSize=4', '--set', 'rollout.maxTurns=2', '--set', 'curriculum.tasksPerStep=2', '--set', 'loss.klCoef=0.01', '--set', 'advantage.estimator=reinforce_pp',
        '--set', 'eval.every=2', '--set', 'eval.tasks=2', '--out', out, '--no-progress',
      ],
      400_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const run = RunDir.open(out);
    expect(run.manifest().config.speech).toMatchObject({ modality: 'mixed', speechRatio: 0.5, voice: { engine: 'espeak-ng', rate: 260 } });
    const lines = run.metrics();
    const train = lines.filter((l) => l['reward/mean'] !== undefined);
    expect(train).toHaveLength(2);
    const keys = new Set(train.flatMap((l) => Object.keys(l)));
    for (const k of ['reward/mean/speech', 'reward/mean/text', 'reward/outcome/speech', 'env/steps/speech', 'env/steps/text', 'perf/tts_s', 'perf/audio_tokens']) expect(keys.has(k), k).toBe(true);
    for (const l of train) {
      expect(l['perf/prefix_breaks']).toBe(0);
      // On-policy with audio in the prompts: the trainer's log-probs are the sampler's.
      expect(l['ppo/ratio_max_abs_dev']).toBeLessThan(1e-3);
      expect(Number.isFinite(l['loss/total'] ?? l['loss/policy'])).toBe(true);
    }
    expect(train.reduce((a, l) => a + (l['perf/audio_tokens'] ?? 0), 0)).toBeGreaterThan(0);

    const eps = run.episodes().episodes;
    const speech = eps.filter((e) => e.modality === 'speech');
    expect(speech.length).toBeGreaterThan(0);
    expect(eps.filter((e) => e.modality === 'text').length).toBeGreaterThan(0);
    const files = new Set(readdirSync(join(out, 'audio')));
    for (const e of speech) {
      const spans = e.steps.flatMap((s) => s.tokens?.deltaAudio ?? []);
      expect(spans.length).toBeGreaterThan(0);
      for (const a of spans) expect(files.has(`${a.sha256}.wav`)).toBe(true);
      const seq = episodeTokens(e.steps).sequences;
      expect(seq).toHaveLength(1);
      expect(seq[0]!.audio!.length).toBe(spans.length);
    }
    for (const e of eps.filter((x) => x.modality === 'text')) expect(e.steps.every((s) => s.tokens?.deltaAudio === undefined)).toBe(true);

    // The held-out eval speaks as well, its audio in its own run directory, its summary split.
    const evalDir = join(out, 'evals', 'step-2');
    const res = JSON.parse(readFileSync(join(evalDir, 'results.json'), 'utf8')) as { summary: Summary };
    expect(res.summary.byModality).toBeDefined();
    expect(existsSync(join(out, 'checkpoints', '2', 'tarl_checkpoint.json'))).toBe(true);
  }, 400_000);
});
