import { runEpisode, type EpisodeSpec } from './run-episode.ts';
import type { Trajectory } from './trajectory.ts';

export interface RunManyOptions {
  /** Episodes in flight at once. */
  concurrency: number;
  /** Called as each episode finishes (in completion order); awaited before its slot is reused. */
  onEpisode?: (t: Trajectory) => Promise<void> | void;
  signal?: AbortSignal;
}

/**
 * Runs episodes with bounded concurrency. One failing episode is recorded as failed (runEpisode
 * never throws) and never stops the others; an abort stops starting new ones.
 */
export async function runEpisodes(specs: Iterable<EpisodeSpec>, opts: RunManyOptions): Promise<Trajectory[]> {
  const it = specs[Symbol.iterator]();
  const out: Trajectory[] = [];
  const worker = async (): Promise<void> => {
    for (;;) {
      if (opts.signal?.aborted) return;
      const next = it.next();
      if (next.done) return;
      const spec = opts.signal ? { ...next.value, signal: opts.signal } : next.value;
      const t = await runEpisode(spec);
      out.push(t);
      await opts.onEpisode?.(t);
    }
  };
  const n = Math.max(1, Math.floor(opts.concurrency));
  await Promise.all(Array.from({ length: n }, worker));
  return out;
}
