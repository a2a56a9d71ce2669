/**
 * pass^k and pass@k from c successes in n trials of one task (unbiased estimators).
 *
 * pass^k = C(c,k) / C(n,k): the chance that k trials drawn without replacement all succeed
 *          (τ-bench's consistency metric).
 * pass@k = 1 − C(n−c,k) / C(n,k): the chance that at least one of k such trials succeeds.
 *
 * Worked example: n = 4, c = 2 → pass^1 = 2/4 = 0.5, pass^2 = 1/6, pass^3 = 0;
 *                                 pass@1 = 0.5, pass@2 = 1 − 1/6 = 5/6, pass@3 = 1.
 * Both are computed as products of ratios, so large n never overflows.
 */
function check(n: number, c: number, k: number): void {
  if (!Number.isInteger(n) || !Number.isInteger(c) || !Number.isInteger(k)) throw new RangeError('n, c and k must be integers');
  if (n < 1 || c < 0 || c > n) throw new RangeError(`need 0 ≤ c ≤ n and n ≥ 1 (n=${n}, c=${c})`);
  if (k < 1 || k > n) throw new RangeError(`k must be in 1..n (k=${k}, n=${n})`);
}

/** C(a,k)/C(n,k) for a ≤ n. */
function chooseRatio(a: number, n: number, k: number): number {
  if (a < k) return 0;
  let r = 1;
  for (let i = 0; i < k; i++) r *= (a - i) / (n - i);
  return r;
}

export function passHatK(n: number, c: number, k: number): number {
  check(n, c, k);
  return chooseRatio(c, n, k);
}

export function passAtK(n: number, c: number, k: number): number {
  check(n, c, k);
  return 1 - chooseRatio(n - c, n, k);
}

/** Mean over tasks of a per-task estimator; tasks with fewer than k trials are excluded. */
export function meanOverTasks(
  tasks: readonly { n: number; c: number }[],
  k: number,
  f: (n: number, c: number, k: number) => number,
): number | null {
  const usable = tasks.filter((t) => t.n >= k);
  if (usable.length === 0) return null;
  return usable.reduce((s, t) => s + f(t.n, t.c, k), 0) / usable.length;
}
