/** What `tarl train` does, loaded only when it runs (the options live in train.ts). */
import cliProgress from 'cli-progress';
import { trainConfigSchema, type TrainConfig } from '../../rl/config.ts';
import { resolveTrainConfig } from '../../rl/presets.ts';
import { train, type TrainProgress } from '../../rl/train.ts';
import { RunDir } from '../../run/run-dir.ts';
import { loadDatasetTasks } from '../../dataset/load.ts';
import { checkTasksFit } from '../../eval/preflight.ts';
import { modelSpecFromConfig } from '../../llm/model-spec.ts';
import { onInterrupt, TRAIN_IN_FLIGHT } from '../shared/interrupt.ts';
import { speechConfigFromFlags } from '../../voice/config.ts';
import { checkOutput, clearOwnOutput } from '../../run/output-dir.ts';
import type { TrainOptions } from './train.ts';

/** A bar on stderr: step, reward, held-out pass^1 and the ETA; plain lines without a terminal. */
function trainProgressReporter(enabled: boolean, label = 'train'): { update: (p: TrainProgress) => void; stop: () => void } {
  if (!enabled) return { update: () => {}, stop: () => {} };
  let reward = '-';
  let pass1 = '-';
  if (!process.stderr.isTTY) {
    return {
      update: (p) => {
        if (p.reward !== undefined) reward = p.reward.toFixed(3);
        if (p.pass1 !== undefined) pass1 = p.pass1.toFixed(3);
        if (p.stage === 'update' && p.reward !== undefined) process.stderr.write(`${label} step ${p.step}/${p.steps} reward ${reward} pass^1 ${pass1}\n`);
        if (p.stage === 'eval' && p.pass1 !== undefined) process.stderr.write(`${label} eval at step ${p.step}: pass^1 ${pass1}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} |{bar}| step {value}/{total} | {stage} | reward {reward} | pass^1 {pass1} | ETA {eta_formatted}`, stream: process.stderr, hideCursor: true, etaBuffer: 4 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      if (p.reward !== undefined) reward = p.reward.toFixed(3);
      if (p.pass1 !== undefined) pass1 = p.pass1.toFixed(3);
      const payload = { stage: p.stage, reward, pass1 };
      if (!started) {
        bar.start(p.steps, p.step, payload);
        started = true;
      } else bar.update(p.step, payload);
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

export async function trainAction(o: TrainOptions & { out: string }): Promise<void> {
  // --modality & co. are the `speech` field of the config (= --set speech={…}).
  const sets = o.modality !== undefined ? [...o.set, `speech=${JSON.stringify(speechConfigFromFlags(o))}`] : o.set;
  const config = o.resume && !o.config && !o.preset && sets.length === 0 ? resumedConfig(o.out) : resolveTrainConfig({ ...o, file: o.config, sets });
  if (o.resume && o.force) throw new Error('--resume and --force exclude each other (continue the run, or replace it)');
  // Before the trainer starts: the output folder, and whether the rollout user can play these tasks.
  if (!o.resume) checkOutput(o.out, 'run', { force: o.force === true, resumeFlag: '--resume' });
  const { tasks } = loadDatasetTasks(config.data.dir);
  checkTasksFit({ data: config.data.dir, tasks: tasks.get(config.data.split) ?? [], user: modelSpecFromConfig(config.rollout.user) });
  if (o.force) clearOwnOutput(o.out, 'run');
  const controller = new AbortController();
  const release = onInterrupt(() => controller.abort(new Error('interrupted')), TRAIN_IN_FLIGHT);
  const progress = trainProgressReporter(o.progress);
  try {
    const result = await train({ config, out: o.out, resume: o.resume === true, signal: controller.signal, onProgress: progress.update });
    progress.stop();
    const last = result.run.metrics().at(-1);
    const f = (k: string): string => (last?.[k] === undefined ? 'n/a' : last[k].toFixed(3));
    process.stdout.write(`trained ${result.steps} steps; held-out pass^1 ${f('eval/pass1')} (over write tasks ${f('eval/pass1_write')})\nrun: ${result.run.dir} (metrics.jsonl, episodes.jsonl, checkpoints/)\ncheckpoint: ${result.finalCheckpoint}\n`);
  } catch (e) {
    progress.stop();
    if (controller.signal.aborted) {
      process.stderr.write(`interrupted: the run keeps its last checkpoint; continue with tarl train --resume --out ${o.out}\n`);
      process.exitCode = 130;
      return;
    }
    throw e;
  } finally {
    release();
  }
}

/** `--resume` alone: the run's own config, as recorded in its run.json. */
function resumedConfig(out: string): TrainConfig {
  const run = RunDir.open(out);
  const parsed = trainConfigSchema.safeParse(run.manifest().config);
  if (!parsed.success) throw new Error(`${run.path('run.json')}: not a training run's config (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  return parsed.data;
}

