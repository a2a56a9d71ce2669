/**
 * Which learning curves a training or SFT run's page draws from `metrics.jsonl`, shared by the
 * server and the browser script (pure: no Node, no DOM). A group is drawn when any of its
 * metrics is present; every other metric can be picked from the page's "any metric" chart.
 */
export interface CurveGroup {
  title: string;
  /** Exact metric names, then every metric starting with one of `prefixes`. */
  keys: readonly string[];
  prefixes?: readonly string[];
  /** A fixed y range (rates). */
  y?: [number, number];
  /** A metric drawn as a dashed reference line at its latest value (e.g. the do-nothing floor). */
  ref?: { key: string; label: string };
}

export const CURVE_GROUPS: readonly CurveGroup[] = [
  { title: 'reward (shaped) and training success', keys: ['reward/mean', 'reward/outcome', 'reward/math_outcome'] },
  { title: 'held-out pass^1', keys: ['eval/pass1', 'eval/pass1_write'], y: [0, 1], ref: { key: 'eval/floor', label: 'do-nothing floor' } },
  { title: 'losses', keys: ['eval/loss'], prefixes: ['loss/'] },
  { title: 'KL', keys: ['ppo/approx_kl'], prefixes: ['kl/'] },
  { title: 'entropy', keys: ['ppo/entropy_estimate'], prefixes: ['entropy'] },
  { title: 'clip fraction', keys: ['ppo/clip_frac', 'ppo/dual_clip_frac'] },
  { title: 'episode length (agent turns)', keys: ['env/steps'] },
  { title: 'sampled tokens per episode', keys: ['env/completion_tokens'] },
  { title: 'throughput (trained tokens/s)', keys: ['perf/train_tokens_per_s'] },
  { title: 'seconds per step', keys: ['perf/step_s', 'perf/rollout_s', 'perf/train_s', 'perf/judge_s'] },
];

export const PALETTE = ['#c2474a', '#4a78c2', '#2e9d4f', '#8a6fc2', '#d08a1f', '#2aa0a4', '#a0522d', '#555555'];

export type MetricsRow = { step: number } & Record<string, number>;

/** The metric names a group draws, among those present (in the group's order, then sorted). */
export function groupKeys(g: CurveGroup, present: ReadonlySet<string>): string[] {
  const exact = g.keys.filter((k) => present.has(k));
  const byPrefix = [...present].filter((k) => !exact.includes(k) && (g.prefixes ?? []).some((p) => k.startsWith(p))).sort();
  return [...exact, ...byPrefix];
}

/** (step, value) points of one metric over the lines that carry it. */
export function seriesOf(lines: readonly MetricsRow[], key: string): [number, number][] {
  const out: [number, number][] = [];
  for (const l of lines) {
    const v = l[key];
    if (typeof v === 'number' && Number.isFinite(v)) out.push([l.step, v]);
  }
  return out;
}

/** Every metric name in the lines, sorted. */
export function metricNames(lines: readonly MetricsRow[]): string[] {
  const s = new Set<string>();
  for (const l of lines) for (const k of Object.keys(l)) if (k !== 'step') s.add(k);
  return [...s].sort();
}
