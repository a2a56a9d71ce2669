/**
 * What `tarl eval` does, loaded only when it runs (the options live in eval.ts): the checks made
 * before anything is loaded or started, then the evaluation itself (eval-dataset.ts, or
 * eval-tau2.ts for a τ² dataset), whose code is imported only once they pass — it is most of
 * the command's startup, which a mistyped flag or a missing dataset should not wait for.
 */
import { datasetManifestPath, tau2ManifestJson } from '../../dataset/dataset-dir.ts';
import { parseMaxErrorRate } from '../../eval/error-reasons.ts';
import { checkEndpoints } from '../../eval/preflight.ts';
import { modelSpecFromOptions, type ModelSpec } from '../../llm/model-spec.ts';
import { checkOutput } from '../../run/output-dir.ts';
import { speechConfigFromFlags, type SpeechConfig } from '../../voice/config.ts';
import type { Voice } from '../../voice/voice.ts';
import { tau2WorldOptions } from '../shared/tau2-world.ts';
import type { EvalOptions } from './eval.ts';

/** A flag's integer value, at least `min` (`tarl eval compare`'s flags too). */
export function int(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min} (got '${v}')`);
  return n;
}

/** `tarl eval`'s flags once checked, as the evaluation of a tarl dataset takes them. */
export interface CheckedEval {
  speechConfig: SpeechConfig;
  voice: Voice | undefined;
  trials: number;
  concurrency: number;
  seed: number;
  maxSteps: number;
  maxErrorRate: number;
  agentSpec: ModelSpec;
  userSpec: ModelSpec;
}

export async function evalAction(o: EvalOptions): Promise<void> {
  const speechConfig = speechConfigFromFlags(o);
  // A text run needs no voice, nor the voice code.
  const voice = speechConfig.modality === 'text' ? undefined : await (await import('../../voice/setup.ts')).checkedVoice(speechConfig);
  const trials = int(o.trials, '--trials', 1);
  const concurrency = int(o.concurrency, '--concurrency', 1);
  const seed = int(o.seed, '--seed', 0);
  const maxErrorRate = parseMaxErrorRate(o.maxErrorRate);
  const agentSpec = modelSpecFromOptions('agent', o);
  const userSpec = modelSpecFromOptions('user', o);
  if (o.resume && o.force) throw new Error('--resume and --force exclude each other (continue the run, or replace it)');
  // Before anything is loaded or started: where the run goes, and whether the endpoints answer.
  if (!o.resume) checkOutput(o.out, 'run', { force: o.force === true, resumeFlag: '--resume' });
  await checkEndpoints([{ role: 'agent', spec: agentSpec }, { role: 'user', spec: userSpec }]);
  const tau2 = tau2ManifestJson(o.data) && (await import('../../dataset/tau2-import.ts')).readTau2Manifest(o.data);
  if (tau2) {
    await (await import('./eval-tau2.ts')).tau2EvalAction(
      {
        data: o.data,
        world: tau2WorldOptions(o, [tau2.domain]),
        out: o.out,
        trials,
        concurrency,
        seed,
        ...(o.tasks !== undefined && { tasks: o.tasks }),
        ...(o.maxSteps !== undefined && { maxSteps: int(o.maxSteps, '--max-steps', 1) }),
        ...(o.maxErrors !== undefined && { maxErrors: int(o.maxErrors, '--max-errors', 1) }),
        solo: o.solo === true,
        llm: o.llm !== false,
        ...(o.nlJudge !== undefined && { nlJudge: o.nlJudge }),
        ...(o.resume !== undefined && { resume: o.resume }),
        force: o.force === true,
        maxErrorRate,
        progress: o.progress,
        agentSpec,
        userSpec,
        client: o.cacheDir ? { cacheDir: o.cacheDir } : {},
      },
      tau2,
    );
    return;
  }
  for (const flag of ['solo', 'nlJudge', 'maxErrors', 'retrieval', 'embeddingsBaseUrl', 'telecomPolicy'] as const) if (o[flag] !== undefined) throw new Error(`--${flag.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())} applies to τ²-bench datasets only`);
  const maxSteps = int(o.maxSteps ?? '30', '--max-steps', 1);
  // A folder with no manifest fails here, as it would when loaded, before the dataset code loads.
  datasetManifestPath(o.data);
  await (await import('./eval-dataset.ts')).datasetEvalAction(o, { speechConfig, voice, trials, concurrency, seed, maxSteps, maxErrorRate, agentSpec, userSpec });
}
