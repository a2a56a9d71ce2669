import { createHash } from 'node:crypto';
import type { Agent } from '../agents/agent.ts';
import type { Task } from '../dataset/task.ts';
import { runEpisodes } from '../episode/run-many.ts';
import { episodeKey, type Trajectory } from '../episode/trajectory.ts';
import type { RunDir } from '../run/run-dir.ts';
import type { WorldTemplate } from '../sandbox/template.ts';
import type { ToolDefinition } from '../sandbox/tool-schema.ts';
import type { UserSimulator } from '../users/user.ts';
import type { Verifier, VerifyMode } from '../verify/verifier.ts';
import type { AudioInput } from '../voice/wire.ts';
import { summarize, type Summary } from './summary.ts';

/** What an evaluation needs from a dataset: the tasks, and the world each one runs in. */
export interface EvalSource {
  policy: string;
  tools: readonly ToolDefinition[];
  tasks: readonly Task[];
  world(task: Task): { template: WorldTemplate; verifier: Verifier };
}

export interface EvalProgress {
  done: number;
  total: number;
  successes: number;
  costUsd: number | null;
}

export interface EvalOptions {
  run: RunDir;
  source: EvalSource;
  agent: Agent;
  user: UserSimulator;
  trials: number;
  concurrency: number;
  seed: number;
  maxSteps?: number;
  verifyMode?: VerifyMode;
  signal?: AbortSignal;
  onProgress?: (p: EvalProgress) => void;
  /** Speech runs: where agents read the spoken user turns (the user is then a SpeakingUser). */
  audio?: AudioInput;
}

export interface EvalOutcome {
  summary: Summary;
  episodes: Trajectory[];
  /** Episodes an abort cut short (not recorded: they run again on resume). */
  cancelled: number;
}

/** A per-episode seed that depends only on the run seed, the task and the trial. */
export function episodeSeed(runSeed: number, taskId: string, trial: number): number {
  return createHash('sha256').update(`${runSeed}\0${taskId}\0${trial}`).digest().readUInt32BE(0);
}

/**
 * Runs every (task, trial) not yet recorded in the run directory, appending each finished
 * episode to `episodes.jsonl`, then summarises from the file — so an interrupted run resumed
 * later reports exactly what an uninterrupted one would. Episodes cut short by an abort are not
 * recorded (they run again on resume); every other failure is recorded, never dropped.
 */
export async function runEval(opts: EvalOptions): Promise<EvalOutcome> {
  const { run, source, trials } = opts;
  const before = run.episodes().episodes;
  const done = new Set(before.map(episodeKey));
  const pending: { task: Task; trial: number }[] = [];
  for (let trial = 0; trial < trials; trial++) {
    for (const task of source.tasks) if (!done.has(episodeKey({ taskId: task.id, trial }))) pending.push({ task, trial });
  }
  const progress: EvalProgress = {
    done: before.length,
    total: source.tasks.length * trials,
    successes: before.filter((e) => e.reward >= 1).length,
    costUsd: 0,
  };
  opts.onProgress?.(progress);
  const log = run.episodeLog();
  const writes: Promise<void>[] = [];
  let cancelled = 0;
  try {
    const specs = pending.map(({ task, trial }) => {
      const { template, verifier } = source.world(task);
      return {
        task,
        template,
        verifier,
        agent: opts.agent,
        user: opts.user,
        policy: source.policy,
        tools: source.tools,
        trial,
        seed: episodeSeed(opts.seed, task.id, trial),
        ...(opts.maxSteps !== undefined && { maxSteps: opts.maxSteps }),
        ...(opts.verifyMode !== undefined && { verifyMode: opts.verifyMode }),
        ...(opts.audio && { audio: opts.audio }),
      };
    });
    await runEpisodes(specs, {
      concurrency: opts.concurrency,
      ...(opts.signal && { signal: opts.signal }),
      // The slot is freed at once; the record counts as done when its group commit is durable.
      onEpisode: (t) => {
        if (opts.signal?.aborted && t.termination === 'error') {
          cancelled++;
          return;
        }
        writes.push(
          log.append(t).then(() => {
            progress.done++;
            if (t.reward >= 1) progress.successes++;
            const c = t.usage.agent.costUsd === null || t.usage.user.costUsd === null ? null : t.usage.agent.costUsd + t.usage.user.costUsd;
            progress.costUsd = progress.costUsd === null || c === null ? null : progress.costUsd + c;
            opts.onProgress?.(progress);
          }),
        );
      },
    });
    await Promise.all(writes);
  } finally {
    log.close();
  }
  const episodes = run.episodes().episodes;
  return { summary: summarize(episodes, source.tasks.map((t) => t.id), trials), episodes, cancelled };
}
