/** What `tarl judge` and `tarl judge bench` do, loaded only when one runs (the options live in judge.ts). */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../dataset/load.ts';
import type { Task } from '../../dataset/task.ts';
import { doNothingFloor } from '../../eval/floor.ts';
import { datasetSource } from '../../eval/source.ts';
import { summarize } from '../../eval/summary.ts';
import { writeEvalOutputs } from '../../eval/write-results.ts';
import { judgeBench } from '../../judge/bench.ts';
import { createJudge } from '../../judge/from-spec.ts';
import { judgeRun } from '../../judge/judge-run.ts';
import { formatModelSpec, modelSpecFromOptions } from '../../llm/model-spec.ts';
import { evalRunManifest } from '../../run/provenance.ts';
import { RunDir } from '../../run/run-dir.ts';
import { onInterrupt } from '../shared/interrupt.ts';
import { errorRateFailure, parseMaxErrorRate } from '../../eval/error-reasons.ts';
import { checkEndpoints, checkTasksFit } from '../../eval/preflight.ts';
import { checkOutput, clearOwnOutput } from '../../run/output-dir.ts';
import { parseTaskRange } from '../shared/task-range.ts';
import type { JudgeBenchOptions, JudgeOptions } from './judge.ts';

function positiveInt(v: string, flag: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${flag} must be a non-negative integer (got '${v}')`);
  return n;
}

function judgeFrom(o: JudgeOptions) {
  const spec = modelSpecFromOptions('judge', o);
  return { spec, judge: createJudge(spec, o.cacheDir ? { cacheDir: o.cacheDir } : {}, positiveInt(o.retries, '--retries')) };
}

export async function judgeRunAction(dir: string, o: JudgeOptions): Promise<void> {
  const run = RunDir.open(dir);
  const cfg = run.manifest().config;
  if (typeof cfg.data !== 'string') throw new Error(`${dir}/run.json names no dataset (config.data)`);
  const ds = loadDataset(cfg.data);
  const tasks = new Map<string, Task>([...ds.tasks.values()].flat().map((t) => [t.id, t]));
  const { spec, judge } = judgeFrom(o);
  if (run.episodes().episodes.length === 0) throw new Error(`${run.path('episodes.jsonl')} holds no episodes: nothing to judge`);
  await checkEndpoints([{ role: 'judge', spec }]);
  const controller = new AbortController();
  const release = onInterrupt(
    () => controller.abort(new Error('interrupted')),
    'judgements in flight are cancelled (not recorded); verdicts already recorded are kept, and the same command judges the rest',
  );
  try {
    const r = await judgeRun(run, {
      judge, tasks, policy: ds.policy, concurrency: Math.max(1, positiveInt(o.concurrency, '--concurrency')), signal: controller.signal,
      ...(o.retryFailed && { retryFailed: true }),
    });
    const episodes = run.episodes().episodes;
    const scores = { '+1': 0, '0': 0, '-1': 0 };
    for (const e of episodes) for (const v of e.judge?.verdicts ?? []) scores[v.score === 1 ? '+1' : v.score === 0 ? '0' : '-1']++;
    const trials = typeof cfg.trials === 'number' ? cfg.trials : 1;
    const taskIds = [...new Set(episodes.map((e) => e.taskId))];
    const summary = summarize(episodes, taskIds, trials);
    // The floor of the run's own tasks (a --tasks subset of its split), as `tarl eval` recorded it.
    const split = typeof cfg.split === 'string' && ds.tasks.has(cfg.split) ? cfg.split : undefined;
    const inRun = new Set(taskIds);
    const floor = split === undefined ? null : doNothingFloor({ ...datasetSource(ds, split), tasks: ds.tasks.get(split)!.filter((t) => inRun.has(t.id)) }, cfg.verify === 'db' ? 'db' : 'taubench');
    writeEvalOutputs(run, summary, episodes, [...tasks.values()], summary.episodes === taskIds.length * trials, floor);
    process.stdout.write(
      `judge ${judge.name} (${judge.promptVersion ?? 'no prompt'}): judged ${r.judged}, failed ${r.failed}, already judged ${r.skipped}\n` +
        `turn scores: +1 ${scores['+1']}, 0 ${scores['0']}, -1 ${scores['-1']}; verdicts stored in ${run.path('episodes.jsonl')}\n`,
    );
    if (r.failed > 0) process.exitCode = 2;
  } finally {
    release();
  }
}

export async function benchAction(o: JudgeBenchOptions): Promise<void> {
  const maxErrorRate = parseMaxErrorRate(o.maxErrorRate);
  // Before any work: the output folder, the dataset, and whether its tasks can make a corpus.
  checkOutput(o.out, 'judge benchmark', { resume: true }); // an existing benchmark's corpus runs continue; --force replaces them
  const ds = loadDataset(o.data);
  const split = ds.tasks.get(o.split);
  if (!split) throw new Error(`dataset ${o.data} has no split '${o.split}' (splits: ${[...ds.tasks.keys()].join(', ')})`);
  const indices = o.tasks ? parseTaskRange(o.tasks, split.length) : undefined;
  const selected = indices ? indices.map((i) => split[i]!) : split;
  if (selected.length === 0) throw new Error(`split '${o.split}' of ${o.data} has no tasks: nothing to judge`);
  // The corpus is made by the flawed and oracle agents with the scripted user.
  checkTasksFit({ data: o.data, tasks: selected, agent: { kind: 'flawed' }, user: { kind: 'scripted' }, fixedBy: 'tarl judge bench' });
  const { spec, judge } = judgeFrom(o);
  await checkEndpoints([{ role: 'judge', spec }]);
  if (o.force) clearOwnOutput(o.out, 'judge benchmark');
  mkdirSync(o.out, { recursive: true });
  const seed = positiveInt(o.seed, '--seed');
  const { figures } = await judgeBench({
    dataset: ds,
    split: o.split,
    ...(indices && { indices }),
    judge,
    out: o.out,
    seed,
    concurrency: Math.max(1, positiveInt(o.concurrency, '--concurrency')),
    manifest: (agent) =>
      evalRunManifest({ config: { command: 'judge bench', data: o.data, split: o.split, tasks: o.tasks ?? 'all', trials: 1, seed, agent, user: 'scripted' }, dataset: ds, seed }),
  });
  const corpus = ['flawed', 'clean'].flatMap((k) => RunDir.open(join(o.out, k)).episodes().episodes);
  const corpusFailure = errorRateFailure(corpus, maxErrorRate);
  if (corpusFailure) throw new Error(`the benchmark corpus (${o.out}/flawed, ${o.out}/clean): ${corpusFailure}`);
  if (figures.episodes === 0) throw new Error(`no episode of ${o.data} split '${o.split}' could be judged (0 results); see ${o.out}/flawed/episodes.jsonl`);
  writeFileSync(join(o.out, 'judge-bench.json'), JSON.stringify({ judge: formatModelSpec(spec), promptVersion: judge.promptVersion, figures }, null, 2) + '\n');
  const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);
  const rows = Object.entries(figures.perKind).sort(([a], [b]) => a.localeCompare(b));
  const lines = [
    `judge ${judge.name} on ${figures.episodes} episodes (${figures.judgeFailed} judge failures)`,
    'mistake kind                 episodes  localised  any -1',
    ...rows.map(([k, f]) => `${k.padEnd(28)} ${String(f.episodes).padStart(8)}  ${pct(f.localisationAccuracy).padStart(9)}  ${pct(f.episodes ? f.flagged / f.episodes : null).padStart(6)}`),
    `false -1 rate on clean episodes: ${pct(figures.falseNegativeRate)}`,
    `turn agreement with the oracle judge: ${pct(figures.agreement)}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}

