import type { EpisodeIndex } from '../run/episode-log.ts';
import { meanOverTasks, passAtK, passHatK } from '../eval/pass-k.ts';

/** Per-task outcomes of an evaluation-shaped run, counted from its index (never the whole file). */
export interface TaskOutcomes {
  /** Trials recorded and successes, per task id, in first-seen order. */
  byTask: Map<string, { n: number; c: number; trials: Map<number, number> }>;
  episodes: number;
  /** The most trials any task has. */
  maxTrials: number;
  terminations: Record<string, number>;
}

/** The modalities the records state (speech runs), in a fixed order; empty for a text run. */
export function recordModalities(idx: EpisodeIndex): string[] {
  const seen = new Set<string>();
  for (let i = 0; i < idx.count; i++) {
    const m = idx.head(i).modality;
    if (m !== null) seen.add(m);
  }
  return [...seen].sort((a, b) => (a === 'text' ? -1 : b === 'text' ? 1 : a.localeCompare(b)));
}

/**
 * Outcomes of the records that are not training rollouts (`step` unset): eval episodes; with
 * `modality`, only those of that modality (a record without one is text).
 */
export function taskOutcomes(idx: EpisodeIndex, modality?: string): TaskOutcomes {
  const byTask: TaskOutcomes['byTask'] = new Map();
  const terminations: Record<string, number> = {};
  let episodes = 0;
  for (let i = 0; i < idx.count; i++) {
    const h = idx.head(i);
    if (h.step !== null) continue;
    if (modality !== undefined && (h.modality ?? 'text') !== modality) continue;
    episodes++;
    terminations[h.termination] = (terminations[h.termination] ?? 0) + 1;
    let t = byTask.get(h.taskId);
    if (!t) byTask.set(h.taskId, (t = { n: 0, c: 0, trials: new Map() }));
    t.n++;
    if (h.reward >= 1) t.c++;
    t.trials.set(h.trial, h.reward);
  }
  const maxTrials = Math.max(0, ...[...byTask.values()].map((t) => t.n));
  return { byTask, episodes, maxTrials, terminations };
}

/** pass^k and pass@k for k = 1..trials over the tasks with at least k trials (null: none has). */
export function passCurves(o: TaskOutcomes, trials = o.maxTrials): { k: number; passHat: number | null; passAt: number | null }[] {
  const counts = [...o.byTask.values()];
  return Array.from({ length: trials }, (_, i) => ({ k: i + 1, passHat: meanOverTasks(counts, i + 1, passHatK), passAt: meanOverTasks(counts, i + 1, passAtK) }));
}
