import type { Task } from '../dataset/task.ts';
import { episodeKey, type JudgeRecord, type Trajectory } from '../episode/trajectory.ts';
import type { RunDir } from '../run/run-dir.ts';
import { forEachPooled } from '../util/pool.ts';
import type { Judge } from './judge.ts';

export interface JudgeRunOptions {
  judge: Judge;
  tasks: ReadonlyMap<string, Task>;
  policy: string;
  concurrency: number;
  /** Judge again episodes whose last verdict by this judge failed. */
  retryFailed?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface JudgeRunResult {
  judged: number;
  failed: number;
  skipped: number;
}

/**
 * Adjudicates the episodes of a run directory. Each verdict is appended to `verdicts.jsonl` as
 * it arrives (an interrupted judge run resumes without paying twice), then all verdicts are
 * merged into the trajectory records of `episodes.jsonl` (rewritten atomically).
 */
export async function judgeRun(run: RunDir, opts: JudgeRunOptions): Promise<JudgeRunResult> {
  const { judge } = opts;
  const episodes = run.episodes().episodes;
  const stored = run.verdicts();
  const current = (t: Trajectory): JudgeRecord | undefined => stored.get(episodeKey(t)) ?? t.judge;
  const sameJudge = (r: JudgeRecord | undefined): boolean => !!r && r.judge === judge.name && r.promptVersion === judge.promptVersion;
  const todo = episodes.filter((t) => {
    const r = current(t);
    return !sameJudge(r) || (opts.retryFailed === true && r!.status === 'judge_failed');
  });
  const result: JudgeRunResult = { judged: 0, failed: 0, skipped: episodes.length - todo.length };
  opts.onProgress?.(0, todo.length);
  await forEachPooled(
    todo,
    opts.concurrency,
    async (t): Promise<JudgeRecord> => {
      const task = opts.tasks.get(t.taskId);
      if (!task) return { judge: judge.name, promptVersion: judge.promptVersion, status: 'judge_failed', verdicts: [], error: `task ${t.taskId} is not in the dataset` };
      return judge.judge({ task, policy: opts.policy, trajectory: t }, opts.signal);
    },
    (record, t) => {
      if (opts.signal?.aborted && record.status === 'judge_failed') return;
      stored.set(episodeKey(t), record);
      run.appendVerdict(episodeKey(t), record);
      result.judged++;
      if (record.status !== 'ok') result.failed++;
      opts.onProgress?.(result.judged, todo.length);
    },
    opts.signal,
  );
  const merged = episodes.map((t) => {
    const r = stored.get(episodeKey(t));
    return r ? { ...t, judge: r } : t;
  });
  run.rewriteEpisodes(merged);
  return result;
}
