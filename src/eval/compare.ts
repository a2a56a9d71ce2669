import { passAtK, passHatK } from './pass-k.ts';
import type { TaskResult } from './summary.ts';

export interface Diff {
  metric: string;
  a: number;
  b: number;
  /** b − a */
  delta: number;
  /** Percentile bootstrap interval of the delta, resampling tasks (paired). */
  ci: [number, number];
  level: number;
}

/** The per-task estimators a comparison can pair: pass^k (consistency) or pass@k. */
export type PairedEstimator = { kind: 'pass^' | 'pass@'; k: number };

function perTask(t: TaskResult, e: PairedEstimator): number {
  return e.kind === 'pass^' ? passHatK(t.trials, t.successes, e.k) : passAtK(t.trials, t.successes, e.k);
}

/**
 * Paired bootstrap over tasks of the difference in a per-task estimator (default pass^1, the
 * success rate c/n): resample the shared task set with replacement `iterations` times, take the
 * b − a difference of means each time, and report the percentile interval. Pairing by task
 * removes the task difficulty variance that dominates agent benchmarks. Tasks with fewer than k
 * trials in either run are left out.
 */
export function bootstrapDiff(
  a: readonly TaskResult[],
  b: readonly TaskResult[],
  rand: () => number,
  iterations = 2000,
  level = 0.95,
  estimator: PairedEstimator = { kind: 'pass^', k: 1 },
): Diff {
  const k = estimator.k;
  const bMap = new Map(b.filter((t) => t.trials >= k).map((t) => [t.taskId, t]));
  const pairs = a.filter((t) => t.trials >= k && bMap.has(t.taskId)).map((t) => [perTask(t, estimator), perTask(bMap.get(t.taskId)!, estimator)] as const);
  if (pairs.length === 0) throw new Error('the two runs share no evaluated task');
  const n = pairs.length;
  const meanA = pairs.reduce((s, p) => s + p[0], 0) / n;
  const meanB = pairs.reduce((s, p) => s + p[1], 0) / n;
  const deltas: number[] = [];
  for (let i = 0; i < iterations; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const p = pairs[Math.floor(rand() * n)]!;
      s += p[1] - p[0];
    }
    deltas.push(s / n);
  }
  deltas.sort((x, y) => x - y);
  const lo = deltas[Math.floor(((1 - level) / 2) * (iterations - 1))]!;
  const hi = deltas[Math.ceil((1 - (1 - level) / 2) * (iterations - 1))]!;
  return { metric: `${estimator.kind}${k}`, a: meanA, b: meanB, delta: meanB - meanA, ci: [lo, hi], level };
}
