import { PolicyAgent } from '../agents/policy.ts';
import type { Dataset } from '../dataset/load.ts';
import type { Task } from '../dataset/task.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import { runEval, type EvalSource } from '../eval/run-eval.ts';
import { summarize, type Summary } from '../eval/summary.ts';
import { doNothingFloor } from '../eval/floor.ts';
import { writeEvalOutputs } from '../eval/write-results.ts';
import { evalRunManifest } from '../run/provenance.ts';
import { RunDir } from '../run/run-dir.ts';
import type { UserSimulator } from '../users/user.ts';
import type { SpeechConfig } from '../voice/config.ts';
import { runSpeech, speechRecord } from '../voice/setup.ts';
import type { Voice } from '../voice/voice.ts';
import { needsWrite } from '../verify/task-writes.ts';
import type { PolicyRuntime } from './runtime.ts';

export interface PolicyEvalResult {
  summary: Summary;
  episodes: Trajectory[];
  /** pass^1 over every task. */
  pass1: number;
  /** pass^1 over the tasks that need a write (null when there are none). */
  pass1Write: number | null;
  /** pass^1 a do-nothing agent would get: the share of tasks whose ground truth writes nothing. */
  floor: number;
  /** Mean success per task (over trials), by task id: what paired comparisons use. */
  perTask: Map<string, number>;
  /** Sampled tokens per turn, parse errors, prefix breaks (the policy's counters). */
  counters: PolicyAgent['counters'];
}

/**
 * Evaluates the runtime's current weights through the eval module (same episodes, verifier and
 * run directory as `tarl eval`), with our token-native policy agent.
 */
export async function evaluatePolicy(o: {
  runtime: PolicyRuntime;
  dataset: Dataset;
  source: EvalSource;
  user: UserSimulator;
  dir: string;
  trials: number;
  temperature: number;
  maxTokens: number;
  concurrency: number;
  maxTurns: number;
  seed: number;
  config: Record<string, unknown>;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** Speech runs: the held-out episodes speak too (their audio in this eval run's own audio/). */
  speech?: { config: SpeechConfig; voice: Voice };
}): Promise<PolicyEvalResult> {
  const agent = new PolicyAgent(o.runtime.renderer, o.runtime.sampler, { temperature: o.temperature, maxTokens: o.maxTokens });
  const config = o.speech ? { ...o.config, ...speechRecord(o.speech.config) } : o.config;
  const run = RunDir.exists(o.dir) ? RunDir.open(o.dir) : RunDir.create(o.dir, evalRunManifest({ config, dataset: o.dataset, seed: o.seed }));
  const speech = o.speech ? await runSpeech(o.speech.config, run.dir, o.speech.voice) : undefined;
  const { summary, episodes } = await runEval({
    run, source: o.source, agent, user: speech ? speech.wrap(o.user) : o.user, trials: o.trials, concurrency: o.concurrency, seed: o.seed, maxSteps: o.maxTurns,
    ...(speech && { audio: speech.audio }),
    ...(o.signal && { signal: o.signal }),
    ...(o.onProgress && { onProgress: (p: { done: number; total: number }) => o.onProgress!(p.done, p.total) }),
  });
  writeEvalOutputs(run, summary, episodes, o.source.tasks, summary.episodes === o.source.tasks.length * o.trials, doNothingFloor(o.source));
  return { ...scorePolicy(episodes, o.source.tasks, o.trials), summary, episodes, counters: agent.counters };
}

/** pass^1 overall and over write tasks, the do-nothing floor, and per-task success. */
export function scorePolicy(episodes: readonly Trajectory[], tasks: readonly Task[], trials: number): { pass1: number; pass1Write: number | null; floor: number; perTask: Map<string, number> } {
  const s = summarize(episodes, tasks.map((t) => t.id), trials);
  const perTask = new Map(s.perTask.map((t) => [t.taskId, t.trials ? t.successes / t.trials : 0]));
  const write = tasks.filter(needsWrite);
  const mean = (xs: readonly Task[]): number => xs.reduce((a, t) => a + (perTask.get(t.id) ?? 0), 0) / xs.length;
  return {
    pass1: tasks.length ? mean(tasks) : 0,
    pass1Write: write.length ? mean(write) : null,
    floor: tasks.length ? (tasks.length - write.length) / tasks.length : 0,
    perTask,
  };
}
