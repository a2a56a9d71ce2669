import { forEachPooled } from '../util/pool.ts';
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
  const out: Trajectory[] = [];
  const signal = opts.signal;
  await forEachPooled(
    specs,
    opts.concurrency,
    (spec) => runEpisode(signal ? { ...spec, signal } : spec),
    async (t) => {
      out.push(t);
      await opts.onEpisode?.(t);
    },
    signal,
  );
  return out;
}
