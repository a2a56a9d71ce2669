import type { Trajectory } from '../episode/trajectory.ts';

/** How many episodes ended in error for each reason, most frequent first. */
export function errorReasons(episodes: readonly Pick<Trajectory, 'termination' | 'error'>[]): { reason: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const e of episodes) {
    if (e.termination !== 'error') continue;
    const reason = reasonOf(e.error ?? 'no reason recorded');
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

/**
 * One line per kind of failure: the first line of the message, with what differs between
 * episodes of the same failure (task ids, timings, attempt counts) blanked so they group, and
 * capped in length so a raw dump cannot flood the terminal.
 */
export function reasonOf(error: string): string {
  const first = error.split('\n')[0]!.replace(/[:\s[{]+$/, '');
  const general = first
    .replace(/\btask \S+/g, 'task …')
    .replace(/\b\d+(\.\d+)? ?ms\b/g, '… ms')
    .replace(/\bafter \d+ attempt/g, 'after … attempt');
  return general.length > 240 ? `${general.slice(0, 239)}…` : general;
}

/**
 * The failure of a run where more than `maxRate` of the episodes ended in error, with the top
 * reasons and their counts; undefined when the run is within the bound.
 */
export function errorRateFailure(episodes: readonly Pick<Trajectory, 'termination' | 'error'>[], maxRate: number, top = 5): string | undefined {
  const errors = episodes.filter((e) => e.termination === 'error').length;
  if (episodes.length === 0 || errors / episodes.length <= maxRate) return undefined;
  const reasons = errorReasons(episodes);
  const lines = reasons.slice(0, top).map((r) => `  ${String(r.count).padStart(5)} × ${r.reason}`);
  if (reasons.length > top) lines.push(`  (${reasons.length - top} other reasons; each episode's error is in episodes.jsonl)`);
  return `${errors} of ${episodes.length} episodes ended in error (more than --max-error-rate ${maxRate}); reasons:\n${lines.join('\n')}`;
}

/** `--max-error-rate`: a share in [0, 1]. */
export function parseMaxErrorRate(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || n > 1) throw new Error(`--max-error-rate must be a share between 0 and 1 (got '${v}')`);
  return n;
}

export const DEFAULT_MAX_ERROR_RATE = '0.1';
