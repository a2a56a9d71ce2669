/** What `tarl eval` and `tarl eval compare` do, loaded only when one runs (the options live in eval.ts). */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createAgent } from '../../agents/registry.ts';
import { loadDataset } from '../../dataset/load.ts';
import { checkComparable, compareRuns, loadComparedRun } from '../../eval/compare-runs.ts';
import { doNothingFloor } from '../../eval/floor.ts';
import { renderCompare } from '../../eval/report/compare-html.ts';
import { runEval } from '../../eval/run-eval.ts';
import { datasetSource, flawedAgentFor } from '../../eval/source.ts';
import { formatSummary, writeEvalOutputs } from '../../eval/write-results.ts';
import { parseMaxErrorRate } from '../../eval/error-reasons.ts';
import { checkEndpoints, checkTasksFit } from '../../eval/preflight.ts';
import { checkOutput, clearOwnOutput } from '../../run/output-dir.ts';
import { formatModelSpec, modelSpecFromOptions, type ModelSpec } from '../../llm/model-spec.ts';
import { evalRunManifest } from '../../run/provenance.ts';
import { RunDir } from '../../run/run-dir.ts';
import { startTrainer } from '../../trainer/process.ts';
import { createUser } from '../../users/registry.ts';
import { checkedVoice, runSpeech, speechConfigFromFlags, speechRecord } from '../../voice/setup.ts';
import { readTau2Manifest } from '../../dataset/tau2-import.ts';
import { tau2EvalAction } from './eval-tau2.ts';
import { tau2WorldOptions } from '../shared/tau2-world.ts';
import { EVAL_IN_FLIGHT, onInterrupt } from '../shared/interrupt.ts';
import { reportEnd } from '../shared/eval-end.ts';
import { evalProgressReporter } from '../shared/progress.ts';
import { parseTaskRange } from '../shared/task-range.ts';
import type { CompareOptions, EvalOptions } from './eval.ts';

function int(v: string, flag: string, min: number): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be an integer ≥ ${min} (got '${v}')`);
  return n;
}

export async function evalAction(o: EvalOptions): Promise<void> {
  const speechConfig = speechConfigFromFlags(o);
  const voice = await checkedVoice(speechConfig);
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
  const tau2 = readTau2Manifest(o.data);
  if (tau2) {
    await tau2EvalAction(
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

export function compareAction(a: string, b: string, o: CompareOptions): void {
  const ra = loadComparedRun(a);
  const rb = loadComparedRun(b);
  for (const w of checkComparable(ra, rb, o.allowIncomplete === true)) process.stderr.write(`warning: ${w}\n`);
  let s = int(o.seed, '--seed', 0) || 1;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const c = compareRuns(ra, rb, rand, int(o.iterations, '--iterations', 100));
  const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
  const signed = (x: number): string => `${x >= 0 ? '+' : ''}${f(x)}`;
  const lines = [
    `paired tasks: ${c.paired.length}${c.onlyA || c.onlyB ? ` (left out: ${c.onlyA} only in A, ${c.onlyB} only in B)` : ''}; trials A ${ra.trials}, B ${rb.trials}`,
    ...c.diffs.map((d) => `${d.metric}: A ${f(d.a)}  B ${f(d.b)}  B−A ${signed(d.delta)}  ${Math.round(d.level * 100)}% CI [${f(d.ci[0])}, ${f(d.ci[1])}] (paired bootstrap over tasks)`),
    ...c.metrics.map((m) => `${m.name}: A ${f(m.a)}  B ${f(m.b)}${m.a !== null && m.b !== null ? `  B−A ${signed(m.b - m.a)}` : ''}`),
  ];
  const top = int(o.top, '--top', 0);
  const changed = c.tasks.filter((t) => t.delta !== 0);
  lines.push(`tasks whose success rate changed: ${changed.length} of ${c.tasks.length}${changed.length ? `, largest |B−A| first${changed.length > top ? ` (first ${top}; --top shows more)` : ''}:` : ''}`);
  for (const t of changed.slice(0, top)) lines.push(`  ${t.taskId.padEnd(14)} A ${f(t.a)}  B ${f(t.b)}  B−A ${signed(t.delta)}`);
  process.stdout.write(lines.join('\n') + '\n');
  if (o.html) {
    writeFileSync(o.html, renderCompare(a, b, c.diffs[0]!, c.summaries.a.perTask, c.summaries.b.perTask));
    process.stdout.write(`plot: ${o.html}\n`);
  }
}

