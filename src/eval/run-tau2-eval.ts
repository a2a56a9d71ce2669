/**
 * `tarl eval` on a τ² dataset: every (task, trial) not yet in the run directory through the
 * dual-control episode loop, appended to `episodes.jsonl` as it finishes, then summarised from
 * the file (so a resumed run reports exactly what an uninterrupted one would).
 */
import type { Agent } from '../agents/agent.ts';
import type { Tau2Task } from '../dataset/tau2-task.ts';
import { runTau2Episode } from '../episode/run-tau2-episode.ts';
import { episodeKey, type Trajectory } from '../episode/trajectory.ts';
import type { RunDir } from '../run/run-dir.ts';
import type { Tau2World } from '../sandbox/tau2/world.ts';
import type { Tau2UserSimulator } from '../users/tau2-user.ts';
import { forEachPooled } from '../util/pool.ts';
import type { NlJudge } from '../verify/tau2-reward.ts';
import { episodeSeed, type EvalProgress } from './run-eval.ts';
import { summarize, type Summary } from './summary.ts';

export interface Tau2EvalOptions {
  run: RunDir;
  world: Tau2World;
  tasks: readonly Tau2Task[];
  split: string;
  agent: Agent;
  /** Absent in solo mode. */
  user?: Tau2UserSimulator;
  solo: boolean;
  trials: number;
  concurrency: number;
  seed: number;
  maxSteps?: number;
  maxErrors?: number;
  judge?: NlJudge;
  signal?: AbortSignal;
  onProgress?: (p: EvalProgress) => void;
}

export async function runTau2Eval(opts: Tau2EvalOptions): Promise<{ summary: Summary; episodes: Trajectory[] }> {
  const { run, tasks, trials } = opts;
  const before = run.episodes().episodes;
  const done = new Set(before.map(episodeKey));
  const pending: { task: Tau2Task; trial: number }[] = [];
  for (let trial = 0; trial < trials; trial++) {
    for (const task of tasks) if (!done.has(episodeKey({ taskId: task.id, trial }))) pending.push({ task, trial });
  }
  const progress: EvalProgress = { done: before.length, total: tasks.length * trials, successes: before.filter((e) => e.reward >= 1).length, costUsd: 0 };
  opts.onProgress?.(progress);
  const log = run.episodeLog();
  try {
    await forEachPooled(
      pending,
      opts.concurrency,
      ({ task, trial }) =>
        runTau2Episode({
          world: opts.world,
          task,
          agent: opts.agent,
          ...(opts.user && { user: opts.user }),
          solo: opts.solo,
          trial,
          seed: episodeSeed(opts.seed, task.id, trial),
          split: opts.split,
          ...(opts.maxSteps !== undefined && { maxSteps: opts.maxSteps }),
          ...(opts.maxErrors !== undefined && { maxErrors: opts.maxErrors }),
          ...(opts.judge && { judge: opts.judge }),
          ...(opts.signal && { signal: opts.signal }),
        }),
      async (t) => {
        if (opts.signal?.aborted && t.termination === 'error') return;
        await log.append(t);
        progress.done++;
        if (t.reward >= 1) progress.successes++;
        const c = t.usage.agent.costUsd === null || t.usage.user.costUsd === null ? null : t.usage.agent.costUsd + t.usage.user.costUsd;
        progress.costUsd = progress.costUsd === null || c === null ? null : progress.costUsd + c;
        opts.onProgress?.(progress);
      },
      opts.signal,
    );
  } finally {
    log.close();
  }
  const episodes = run.episodes().episodes;
  return { summary: summarize(episodes, tasks.map((t) => t.id), trials), episodes };
}
