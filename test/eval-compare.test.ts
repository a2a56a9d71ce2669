import { describe, expect, it } from 'vitest';
import { bootstrapDiff } from '../src/eval/compare.ts';
import type { TaskResult } from '../src/eval/summary.ts';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const task = (taskId: string, successes: number, trials = 4): TaskResult => ({ taskId, rewards: [], successes, trials });

describe('bootstrapDiff', () => {
  it('identical runs give delta 0 and a degenerate interval', () => {
    const a = [task('t0', 2), task('t1', 4), task('t2', 0)];
    const d = bootstrapDiff(a, a, lcg(1), 500);
    expect(d.delta).toBe(0);
    expect(d.ci).toEqual([0, 0]);
  });
  it('a uniform improvement of one success in four on every task gives exactly +0.25', () => {
    const a = [task('t0', 1), task('t1', 2), task('t2', 0)];
    const b = [task('t0', 2), task('t1', 3), task('t2', 1)];
    const d = bootstrapDiff(a, b, lcg(2), 500);
    expect(d.delta).toBeCloseTo(0.25, 12);
    expect(d.ci[0]).toBeCloseTo(0.25, 12);
    expect(d.ci[1]).toBeCloseTo(0.25, 12);
  });
  it('mixed changes: the interval contains the point estimate and spans zero', () => {
    const a = [task('t0', 4), task('t1', 0), task('t2', 2), task('t3', 2)];
    const b = [task('t0', 0), task('t1', 4), task('t2', 2), task('t3', 2)];
    const d = bootstrapDiff(a, b, lcg(3), 2000);
    expect(d.delta).toBe(0);
    expect(d.ci[0]).toBeLessThan(0);
    expect(d.ci[1]).toBeGreaterThan(0);
  });
  it('refuses runs with no shared task', () => {
    expect(() => bootstrapDiff([task('a', 1)], [task('b', 1)], lcg(4))).toThrow(/share no evaluated task/);
  });
});
