/**
 * The demo's optional speech stage (`tarl demo --modality mixed|speech`, docs/speech.md): after
 * the text RL, a short TARL RL run on the tiny Qwen2.5-Omni-architecture model (`tiny-omni`: a
 * random thinker that hears audio) on the same starter world, the scripted user speaking through
 * espeak-ng, held-out evals before and after split by modality.
 *
 * Why this model and not the demo's: the demo's policy is a text-only decoder with its own
 * tokenizer, and no audio model can be downloaded here, so the only model that hears is random.
 * The stage therefore shows that spoken and typed rollouts train together end to end on a CPU and
 * measures what speech costs (TTS seconds, audio bytes, audio tokens, training tokens/s); it does
 * not claim the random model learns to hear in a few steps.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../dataset/load.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import { modalityOf, speechCosts, type SpeechCosts } from '../eval/modality.ts';
import { trainConfigSchema } from '../rl/config.ts';
import { train, type TrainProgress } from '../rl/train.ts';
import { RunDir, type MetricsLine } from '../run/run-dir.ts';
import type { TrainerProcess } from '../trainer/process.ts';
import { needsWrite } from '../verify/task-writes.ts';
import { speechConfigSchema } from '../voice/config.ts';
import type { DemoConfig } from './config.ts';

/** Held-out figures of one modality: its episodes, pass^1 over them, and their do-nothing floor. */
export interface ModalityFigures {
  episodes: number;
  pass1: number;
  /** The share of these episodes whose task writes nothing (what doing nothing scores). */
  floor: number;
}

/** `demo.json`'s `speech`: the speech stage's figures. */
export interface DemoSpeechSummary {
  modality: 'speech' | 'mixed';
  speechRatio: number;
  steps: number;
  model: string;
  /** Held-out pass^1 by modality before (step 0) and after the stage's RL. */
  before: Partial<Record<'text' | 'speech', ModalityFigures>>;
  after: Partial<Record<'text' | 'speech', ModalityFigures>>;
  /** What the spoken training rollouts cost, per speech episode. */
  costs: SpeechCosts | null;
  /** Over the RL steps: training tokens per second (forward_backward), and the audio share of the tokens trained on. */
  trainTokensPerSecond: number;
  audioTokenShare: number;
  seconds: number;
}

export const SPEECH_MODEL = 'tiny-omni: a random Qwen2.5-Omni thinker (2-layer decoder, hidden 64; 1-layer audio encoder, frozen)';

/** Per modality: pass^1 over that modality's episodes and the floor of their tasks. */
export function byModality(episodes: readonly Trajectory[], dataset: Dataset, split: string): Partial<Record<'text' | 'speech', ModalityFigures>> {
  const tasks = new Map((dataset.tasks.get(split) ?? []).map((t) => [t.id, t]));
  const out: Partial<Record<'text' | 'speech', ModalityFigures>> = {};
  for (const m of ['text', 'speech'] as const) {
    const mine = episodes.filter((e) => modalityOf(e) === m);
    if (mine.length === 0) continue;
    const noWrite = mine.filter((e) => {
      const task = tasks.get(e.taskId);
      if (!task) throw new Error(`speech stage: episode of task '${e.taskId}' not in split '${split}' of the demo's dataset`);
      return !needsWrite(task);
    }).length;
    out[m] = { episodes: mine.length, pass1: mine.filter((e) => e.reward >= 1).length / mine.length, floor: noWrite / mine.length };
  }
  return out;
}

const meanOf = (lines: readonly MetricsLine[], key: string): number => {
  const xs = lines.flatMap((l) => (typeof l[key] === 'number' && Number.isFinite(l[key]) ? [l[key]] : []));
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
};
const sumOf = (lines: readonly MetricsLine[], key: string): number => lines.reduce((a, l) => a + (typeof l[key] === 'number' && Number.isFinite(l[key]) ? l[key] : 0), 0);

/** Runs the speech stage into `dir` (skipped when already complete) and returns its figures. */
export async function runSpeechStage(o: {
  config: DemoConfig;
  dataDir: string;
  dataset: Dataset;
  dir: string;
  service: TrainerProcess;
  onProgress?: (p: TrainProgress) => void;
}): Promise<DemoSpeechSummary> {
  const cfg = o.config;
  const sp = cfg.speech;
  if (sp.modality === 'text') throw new Error('speech stage: demo speech.modality is text (nothing to run)');
  const t0 = performance.now();
  const rlConfig = trainConfigSchema.parse({
    seed: cfg.seed,
    steps: sp.steps,
    data: { dir: o.dataDir },
    model: { base: { preset: 'tiny-omni' }, threads: cfg.threads },
    speech: speechConfigSchema.parse({ modality: sp.modality, speechRatio: sp.speechRatio, voice: sp.voice }),
    sampler: { temperature: cfg.rl.temperature, maxTokens: sp.maxTokens },
    rollout: { groupSize: sp.groupSize, concurrency: 128, maxTurns: sp.maxTurns },
    // Tool tasks only: the stage is about spoken user turns, and math tasks have no user to speak.
    curriculum: { tasksPerStep: sp.tasksPerStep, math: { ratio: 0 } },
    // REINFORCE++ normalises over the whole batch and keeps every rollout: a random model's groups
    // rarely differ in reward, and GRPO would drop them, leaving nothing for the update to train on.
    advantage: { estimator: 'reinforce_pp' },
    optim: { lr: sp.lr },
    reward: cfg.rl.reward,
    loss: { klCoef: cfg.rl.klCoef },
    eval: { every: sp.steps, tasks: sp.evalTasks, trials: sp.evalTrials, temperature: cfg.eval.temperature, concurrency: 128 },
    checkpoint: { every: sp.steps, keep: 1 },
  });
  const existing = RunDir.exists(o.dir) ? RunDir.open(o.dir) : undefined;
  const done = existing?.metrics().some((l) => l.step === sp.steps && l['eval/pass1'] !== undefined) ?? false;
  if (!done) await train({ config: rlConfig, out: o.dir, resume: existing !== undefined, service: o.service, ...(o.onProgress && { onProgress: o.onProgress }) });

  const run = RunDir.open(o.dir);
  const metrics = run.metrics();
  const steps = metrics.filter((l) => l['perf/train_tokens'] !== undefined);
  const evalEpisodes = (step: number): Trajectory[] => {
    const d = join(o.dir, 'evals', `step-${step}`);
    if (!existsSync(d)) throw new Error(`speech stage: no held-out eval at ${d}`);
    return RunDir.open(d).episodes().episodes;
  };
  const trainTokens = sumOf(steps, 'perf/train_tokens');
  return {
    modality: sp.modality,
    speechRatio: sp.speechRatio,
    steps: sp.steps,
    model: SPEECH_MODEL,
    before: byModality(evalEpisodes(0), o.dataset, rlConfig.eval.split),
    after: byModality(evalEpisodes(sp.steps), o.dataset, rlConfig.eval.split),
    costs: speechCosts(run.episodes().episodes) ?? null,
    trainTokensPerSecond: meanOf(steps, 'perf/train_tokens_per_s'),
    audioTokenShare: trainTokens > 0 ? sumOf(steps, 'perf/audio_tokens') / trainTokens : 0,
    seconds: (performance.now() - t0) / 1000,
  };
}
