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

/** Per-task success rate (c/n); tasks without trials are excluded. */
function rate(t: TaskResult): number {
  return t.successes / t.trials;
}

/**
 * Paired bootstrap over tasks of the difference in mean per-task success rate (pass^1):
 * resample the shared task set with replacement `iterations` times, take the b − a difference
 * of means each time, and report the percentile interval. Pairing by task removes the task
 * difficulty variance that dominates agent benchmarks.
 */
export function bootstrapDiff(
  a: readonly TaskResult[],
  b: readonly TaskResult[],
  rand: () => number,
  iterations = 2000,
  level = 0.95,
): Diff {
  const bMap = new Map(b.filter((t) => t.trials > 0).map((t) => [t.taskId, t]));
  const pairs = a.filter((t) => t.trials > 0 && bMap.has(t.taskId)).map((t) => [rate(t), rate(bMap.get(t.taskId)!)] as const);
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
  return { metric: 'pass^1', a: meanA, b: meanB, delta: meanB - meanA, ci: [lo, hi], level };
}
