/** `tarl eval` on a tarl dataset, loaded once the flags are checked (eval-run.ts). */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAgent } from '../../agents/registry.ts';
import { loadDataset } from '../../dataset/load.ts';
import { doNothingFloor } from '../../eval/floor.ts';
import { runEval } from '../../eval/run-eval.ts';
import { datasetSource, flawedAgentFor } from '../../eval/source.ts';
import { formatSummary, writeEvalOutputs } from '../../eval/write-results.ts';
import { checkTasksFit } from '../../eval/preflight.ts';
import { clearOwnOutput } from '../../run/output-dir.ts';
import { formatModelSpec, type ModelSpec } from '../../llm/model-spec.ts';
import { evalRunManifest } from '../../run/provenance.ts';
import { RunDir } from '../../run/run-dir.ts';
import { startTrainer } from '../../trainer/process.ts';
import { createUser } from '../../users/registry.ts';
import { runSpeech, speechRecord } from '../../voice/setup.ts';
import { EVAL_IN_FLIGHT, onInterrupt } from '../shared/interrupt.ts';
import { reportEnd } from '../shared/eval-end.ts';
import { evalProgressReporter } from '../shared/progress.ts';
import { parseTaskRange } from '../shared/task-range.ts';
import type { EvalOptions } from './eval.ts';
import type { CheckedEval } from './eval-run.ts';

/** `tarl eval` on a dataset of `tarl data generate` or `import-taubench`. */
export async function datasetEvalAction(o: EvalOptions, c: CheckedEval): Promise<void> {
  const { speechConfig, voice, trials, concurrency, seed, maxSteps, maxErrorRate, agentSpec, userSpec } = c;
  const ds = loadDataset(o.data);
  const splitTasks = ds.tasks.get(o.split);
  if (!splitTasks) throw new Error(`dataset ${o.data} has no split '${o.split}' (splits: ${[...ds.tasks.keys()].join(', ')})`);
  const indices = o.tasks ? parseTaskRange(o.tasks, splitTasks.length) : undefined;
  const source = datasetSource(ds, o.split, indices);
  if (source.tasks.length === 0) throw new Error(`split '${o.split}' of ${o.data} has no tasks: nothing to evaluate`);
  checkTasksFit({ data: o.data, tasks: source.tasks, agent: agentSpec, user: userSpec });
  const clientOpts = o.cacheDir ? { cacheDir: o.cacheDir } : {};
  const served = await serveCheckpoint(agentSpec);
  const agent =
    agentSpec.kind === 'flawed' && !agentSpec.llm
      ? flawedAgentFor(source)
      : createAgent(served?.spec ?? agentSpec, { ...clientOpts, ...(served && { env: served.env }) });
  const user = createUser(userSpec, { client: clientOpts });
  const config: Record<string, unknown> = {
    command: 'eval',
    data: o.data,
    split: o.split,
    tasks: o.tasks ?? 'all',
    trials,
    seed,
    maxSteps,
    verify: o.verify,
    agent: formatModelSpec(agentSpec),
    user: formatModelSpec(userSpec),
    ...speechRecord(speechConfig),
  };
  let run: RunDir;
  if (o.resume) {
    run = RunDir.open(o.out);
    const prev = run.manifest().config;
    for (const k of ['data', 'split', 'tasks', 'trials', 'seed', 'agent', 'user', 'modality', 'speechRatio', 'voice'] as const) {
      if (JSON.stringify(prev[k]) !== JSON.stringify(config[k])) throw new Error(`--resume: ${k} differs from the run being resumed (${JSON.stringify(prev[k])} there, ${JSON.stringify(config[k])} now)`);
    }
  } else {
    if (o.force) clearOwnOutput(o.out, 'run');
    run = RunDir.create(o.out, evalRunManifest({ config, dataset: ds, seed, models: { agent: agentSpec.llm ?? null, user: userSpec.llm ?? null } }));
  }
  const speech = await runSpeech(speechConfig, run.dir, voice);
  const controller = new AbortController();
  const release = onInterrupt(() => controller.abort(new Error('interrupted')), EVAL_IN_FLIGHT);
  const progress = evalProgressReporter(o.progress);
  try {
    const { summary, episodes, cancelled } = await runEval({
      run, source, agent, user: speech ? speech.wrap(user) : user, trials, concurrency, seed, maxSteps, verifyMode: o.verify, signal: controller.signal, onProgress: progress.update,
      ...(speech && { audio: speech.audio }),
    });
    progress.stop();
    const complete = summary.episodes === source.tasks.length * trials;
    const floor = doNothingFloor(source, o.verify);
    writeEvalOutputs(run, summary, episodes, source.tasks, complete, floor);
    process.stdout.write(`${formatSummary(summary, floor)}\nrun: ${run.dir} (results.json, report.html)\n`);
    reportEnd(summary, episodes, cancelled, complete, maxErrorRate);
  } finally {
    progress.stop();
    release();
    await served?.stop();
  }
}


/**
 * `--agent-model trained:DIR` without a base URL: start our trainer service and point the agent
 * at its OpenAI-compatible facade, which serves that checkpoint (stopped with the command).
 */
async function serveCheckpoint(spec: ModelSpec): Promise<{ spec: ModelSpec; env: Record<string, string>; stop: () => Promise<void> } | undefined> {
  const llm = spec.llm;
  if (!llm?.checkpoint || llm.baseUrl !== undefined) return undefined;
  const dir = resolve(llm.checkpoint);
  if (!existsSync(dir)) throw new Error(`checkpoint ${llm.checkpoint} does not exist`);
  const service = await startTrainer();
  const env = { TARL_TRAINER_TOKEN: service.token };
  return {
    spec: { ...spec, llm: { ...llm, model: `trained:${dir}`, baseUrl: `${service.baseUrl}/v1`, apiKeyEnv: 'TARL_TRAINER_TOKEN' } },
    env,
    stop: () => service.stop(),
  };
}
