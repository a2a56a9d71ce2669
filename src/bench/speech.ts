/**
 * `npm run bench:speech`: what spoken user turns cost (docs/speech.md). `tarl train` runs on the
 * tiny Omni preset (CPU) with every user turn typed and with every user turn spoken (espeak-ng),
 * in alternating rounds: text, speech with an empty TTS cache, text, speech again (the same seeds:
 * every utterance is now a cache hit). Printed: TTS seconds, audio bytes and seconds of audio per
 * spoken episode, cold and warm; then training throughput with and without audio side by side
 * (the first step of each run is left out as warm-up).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDataset } from '../dataset/build.ts';
import { speechCosts, type SpeechCosts } from '../eval/modality.ts';
import { trainConfigSchema, type TrainConfigInput } from '../rl/config.ts';
import { train } from '../rl/train.ts';
import { RunDir, type MetricsLine } from '../run/run-dir.ts';
import { startTrainer, type TrainerProcess } from '../trainer/process.ts';
import { speechConfigSchema } from '../voice/config.ts';
import { Voice } from '../voice/voice.ts';
import { formatTable } from './table.ts';

// Sized to finish on a shared 2-core machine: the second step of each run is the one measured.
const STEP = { tasks: 4, group: 2, maxTurns: 3, maxTokens: 24, steps: 2, threads: 2 };
const EPISODES = STEP.tasks * STEP.group; // per step

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

interface Arm {
  /** Metrics lines after the first (warm-up) step. */
  lines: MetricsLine[];
  costs: SpeechCosts | undefined;
}

async function trainArm(svc: TrainerProcess, dir: string, name: string, cfg: TrainConfigInput): Promise<Arm> {
  const out = join(dir, name);
  await train({ config: trainConfigSchema.parse(cfg), out, service: svc });
  const run = RunDir.open(out);
  return { lines: run.metrics().filter((l) => l.step > 0 && l['perf/train_tokens'] !== undefined), costs: speechCosts(run.episodes().episodes) };
}

/** The median over steps of a metric (absent: 0, as text runs log no audio figures). */
const med = (lines: MetricsLine[], key: string, scale = 1): number => median(lines.map((l) => (l[key] ?? 0) * scale));

export async function run(): Promise<void> {
  // A generous start-up limit: on a loaded machine importing torch alone can take minutes.
  const svc = await startTrainer({ threads: STEP.threads, startupTimeoutMs: 900_000 });
  const dir = mkdtempSync(join(tmpdir(), 'tarl-bench-speech-'));
  try {
    const data = join(dir, 'data');
    generateDataset(data, { domain: 'starter', seed: 1, tasks: 64, dev: 0, test: 2, singleRequest: true });
    const speech = speechConfigSchema.parse({ modality: 'speech', voice: { cacheDir: join(dir, 'tts-cache') } });
    const engine = new Voice(speech.voice).engine;
    const base: TrainConfigInput = {
      seed: 1, steps: STEP.steps, data: { dir: data },
      model: { base: { preset: 'tiny-omni' }, threads: STEP.threads },
      sampler: { maxTokens: STEP.maxTokens },
      rollout: { groupSize: STEP.group, concurrency: STEP.tasks * STEP.group, maxTurns: STEP.maxTurns },
      curriculum: { tasksPerStep: STEP.tasks },
      // Every rollout reaches the update (GRPO would drop a random model's equal-reward groups).
      advantage: { estimator: 'reinforce_pp' },
      optim: { lr: 1e-4 },
      eval: { every: 0 },
      checkpoint: { every: STEP.steps, keep: 1 },
    };
    // Alternating rounds, so a burst of load from other processes on a shared machine does not
    // land on one arm only; the second speech round finds every utterance in the TTS cache.
    const text1 = await trainArm(svc, dir, 'text-1', base);
    const cold = await trainArm(svc, dir, 'speech-cold', { ...base, speech });
    const text2 = await trainArm(svc, dir, 'text-2', base);
    const warm = await trainArm(svc, dir, 'speech-warm', { ...base, speech });
    if (!cold.costs || !warm.costs) throw new Error('bench:speech: the speech runs recorded no spoken episodes');

    const version = await engine.version();
    console.log(`tiny-omni preset (random Qwen2.5-Omni thinker: decoder 2 layers, hidden 64; audio encoder 1 layer, d_model 32, frozen), CPU, ${STEP.threads} torch threads`);
    console.log(`tarl train, starter world: ${STEP.steps} steps × ${STEP.tasks} tasks × G = ${STEP.group}, ≤ ${STEP.maxTurns} turns, ≤ ${STEP.maxTokens} tokens per turn; load average ${loadavg()[0]!.toFixed(2)}`);
    console.log(`\nper spoken episode — ${engine.name} ${version}, ${speech.voice.sampleRate} Hz, ${cold.costs.episodes} episodes, ${(cold.costs.utterances / cold.costs.episodes).toFixed(2)} utterances each:`);
    const c = (f: (k: SpeechCosts) => string): [string, string] => [f(cold.costs!), f(warm.costs!)];
    console.log(formatTable(['', 'empty TTS cache', 'warm TTS cache'], [
      ['TTS seconds (synthesis or cache read, resample)', ...c((k) => k.ttsSecondsPerEpisode.toFixed(3))],
      ['audio bytes (16-bit mono WAV)', ...c((k) => Math.round(k.audioBytesPerEpisode).toString())],
      ['seconds of audio', ...c((k) => k.audioSecondsPerEpisode.toFixed(2))],
      ['utterances served by the cache', ...c((k) => `${((k.cacheHitRate ?? 0) * 100).toFixed(0)}%`)],
    ]));

    const textLines = [...text1.lines, ...text2.lines];
    const speechLines = [...cold.lines, ...warm.lines];
    const both = (key: string, scale = 1): [number, number] => [med(textLines, key, scale), med(speechLines, key, scale)];
    const rows: [string, number, number][] = [
      ['tokens trained on per episode', ...both('perf/train_tokens', 1 / EPISODES)],
      ['  of which audio placeholders', ...both('perf/audio_tokens', 1 / EPISODES)],
      ['training tokens/s (forward_backward)', ...both('perf/train_tokens_per_s')],
      ['forward_backward ms per episode', ...both('perf/fb_s', 1000 / EPISODES)],
      ['rollout s per step (sampling + TTS)', ...both('perf/rollout_s')],
      ['step s', ...both('perf/step_s')],
    ];
    console.log(`\ntraining with and without audio (median over ${STEP.steps > 2 ? `steps 2–${STEP.steps}` : 'step 2'} of both runs of each arm; wall clock incl. HTTP):`);
    const fmt = (x: number): string => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(2));
    console.log(formatTable(['', 'text', 'speech', 'speech / text'], rows.map(([name, t, s]) => [name, fmt(t), fmt(s), t > 0 ? (s / t).toFixed(2) : 'n/a'])));
  } finally {
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
