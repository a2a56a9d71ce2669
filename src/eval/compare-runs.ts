import type { Trajectory } from '../episode/trajectory.ts';
import { RunDir } from '../run/run-dir.ts';
import { bootstrapDiff, type Diff } from './compare.ts';
import { summarize, type Summary, type TaskResult } from './summary.ts';

/**
 * `tarl eval compare`: two eval runs, paired by task. Pairing by id is only meaningful when both
 * runs drew their tasks from the same dataset (manifest hash) and split, so anything else is
 * refused; so is an incomplete run unless asked for, since its missing tasks are not missing at
 * random (an interrupted run stops where the slow tasks are).
 */
export interface ComparedRun {
  dir: string;
  dataset: string;
  /** SHA-256 of the dataset's manifest.json when the run recorded it. */
  manifestSha256: string | undefined;
  split: string;
  trials: number;
  episodes: Trajectory[];
  /** Episodes the run set out to record and whether it did (results.json). */
  planned: number | undefined;
  complete: boolean;
}

export function loadComparedRun(dir: string): ComparedRun {
  const run = RunDir.open(dir);
  const m = run.manifest();
  const cfg = m.config;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const trials = typeof cfg.trials === 'number' ? cfg.trials : 1;
  let planned: number | undefined;
  let complete = false;
  try {
    const r = run.results() as { complete?: unknown; summary?: { tasks?: unknown; trials?: unknown } };
    complete = r.complete === true;
    if (typeof r.summary?.tasks === 'number' && typeof r.summary.trials === 'number') planned = r.summary.tasks * r.summary.trials;
  } catch {
    // No readable results.json: the run never reached its end, so it counts as incomplete.
  }
  return {
    dir,
    dataset: str(m.provenance.data.dir) ?? str(cfg.data) ?? 'unknown',
    manifestSha256: str(m.provenance.data.manifestSha256),
    split: str(cfg.split) ?? 'unknown',
    trials,
    episodes: run.episodes().episodes,
    planned,
    complete,
  };
}

/** Throws when the two runs cannot be paired; returns warnings for what is allowed but notable. */
export function checkComparable(a: ComparedRun, b: ComparedRun, allowIncomplete: boolean): string[] {
  const warnings: string[] = [];
  if (a.manifestSha256 === undefined || b.manifestSha256 === undefined) {
    warnings.push(`${a.manifestSha256 === undefined ? a.dir : b.dir} records no dataset manifest hash: the datasets cannot be checked to be the same`);
  } else if (a.manifestSha256 !== b.manifestSha256) {
    throw new Error(
      `the runs used different datasets (A ${a.dir}: ${a.dataset}, manifest ${a.manifestSha256.slice(0, 12)}; B ${b.dir}: ${b.dataset}, manifest ${b.manifestSha256.slice(0, 12)}); ` +
        'tasks are paired by id, which means something only within one dataset',
    );
  }
  if (a.split !== b.split) throw new Error(`the runs evaluated different splits (A ${a.dir}: '${a.split}', B ${b.dir}: '${b.split}'); tasks are paired by id within one split`);
  for (const [name, r] of [['A', a], ['B', b]] as const) {
    if (r.complete) continue;
    const what = `run ${name} (${r.dir}) is incomplete: ${r.episodes.length}${r.planned === undefined ? '' : ` of ${r.planned}`} episodes recorded`;
    if (!allowIncomplete) throw new Error(`${what}; finish it with the same tarl eval command and --resume, or pass --allow-incomplete to compare the tasks both runs have`);
    warnings.push(`${what}; comparing the tasks both runs have (--allow-incomplete)`);
  }
  return warnings;
}

export interface RunComparison {
  /** Task ids with at least one recorded trial in both runs, in task order. */
  paired: string[];
  onlyA: number;
  onlyB: number;
  /** Paired bootstrap of pass^k and pass@k, for every k both runs have. */
  diffs: Diff[];
  /** Every other summary metric, over the paired tasks' episodes (A, B). */
  metrics: { name: string; a: number | null; b: number | null }[];
  /** Per-task success rate, largest |B − A| first. */
  tasks: { taskId: string; a: number; b: number; delta: number }[];
  summaries: { a: Summary; b: Summary };
}

export function compareRuns(a: ComparedRun, b: ComparedRun, rand: () => number, iterations: number): RunComparison {
  const ids = (r: ComparedRun): Map<string, number> => new Map(r.episodes.map((e) => [e.taskId, e.taskIndex]));
  const ia = ids(a);
  const ib = ids(b);
  const paired = [...ia.keys()].filter((id) => ib.has(id)).sort((x, y) => ia.get(x)! - ia.get(y)! || x.localeCompare(y));
  if (paired.length === 0) throw new Error(`${a.dir} and ${b.dir} share no evaluated task`);
  const keep = new Set(paired);
  const sa = summarize(a.episodes.filter((e) => keep.has(e.taskId)), paired, a.trials);
  const sb = summarize(b.episodes.filter((e) => keep.has(e.taskId)), paired, b.trials);
  const diffs: Diff[] = [];
  for (let k = 1; k <= Math.min(a.trials, b.trials); k++) {
    for (const kind of k === 1 ? (['pass^'] as const) : (['pass^', 'pass@'] as const)) {
      // pass@1 is pass^1; each k ≥ 2 adds both.
      if (sa.perTask.some((t) => t.trials >= k) && sb.perTask.some((t) => t.trials >= k)) diffs.push(bootstrapDiff(sa.perTask, sb.perTask, rand, iterations, 0.95, { kind, k }));
    }
  }
  const rate = (t: TaskResult | undefined): number | undefined => (t && t.trials > 0 ? t.successes / t.trials : undefined);
  const byIdB = new Map(sb.perTask.map((t) => [t.taskId, t]));
  const tasks = sa.perTask
    .map((t) => ({ taskId: t.taskId, a: rate(t), b: rate(byIdB.get(t.taskId)) }))
    .filter((t): t is { taskId: string; a: number; b: number } => t.a !== undefined && t.b !== undefined)
    .map((t) => ({ ...t, delta: t.b - t.a }))
    .sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta) || x.taskId.localeCompare(y.taskId));
  const episodes = (s: Summary): number => Math.max(1, s.episodes);
  const metrics = [
    { name: 'mean reward', a: sa.meanReward, b: sb.meanReward },
    { name: 'error rate', a: sa.errors / episodes(sa), b: sb.errors / episodes(sb) },
    { name: 'turns/episode', a: sa.stepsPerEpisode.mean, b: sb.stepsPerEpisode.mean },
    { name: 'tool errors/episode', a: sa.toolErrorsPerEpisode, b: sb.toolErrorsPerEpisode },
    { name: 'wait tokens/turn', a: sa.waitTokensPerTurn, b: sb.waitTokensPerTurn },
    { name: 'reply chars', a: sa.replyChars, b: sb.replyChars },
    { name: 'completion tokens/turn', a: sa.completionTokensPerTurn, b: sb.completionTokensPerTurn },
    { name: 'cost USD', a: sa.costUsd, b: sb.costUsd },
    ...Object.keys(sa.terminations).map((k) => ({
      name: `termination ${k}`,
      a: sa.terminations[k as keyof Summary['terminations']] / episodes(sa),
      b: sb.terminations[k as keyof Summary['terminations']] / episodes(sb),
    })),
  ];
  return { paired, onlyA: ia.size - paired.length, onlyB: ib.size - paired.length, diffs, metrics, tasks, summaries: { a: sa, b: sb } };
}
