import type { Termination, Trajectory } from '../episode/trajectory.ts';
import { episodeBehaviour } from './behaviour.ts';
import { hasModality, modalityOf, speechCosts, type SpeechCosts } from './modality.ts';
import { meanOverTasks, passAtK, passHatK } from './pass-k.ts';

export interface TaskResult {
  taskId: string;
  /** Verifier outcome per trial index (null: that trial has no record). */
  rewards: (number | null)[];
  successes: number;
  trials: number;
}

/** `results.json`'s metrics. Every success figure comes from the verifier outcome alone. */
export interface Summary {
  tasks: number;
  trials: number;
  episodes: number;
  /** pass^k for k = 1..trials, over tasks (unbiased C(c,k)/C(n,k)). */
  passHatK: Record<string, number | null>;
  passAtK: Record<string, number | null>;
  meanReward: number | null;
  perTask: TaskResult[];
  terminations: Record<Termination, number>;
  stepsPerEpisode: { mean: number | null; histogram: Record<string, number> };
  toolErrorsPerEpisode: number | null;
  waitTokensPerTurn: number | null;
  replyChars: number | null;
  completionTokensPerTurn: number | null;
  tokens: { agentPrompt: number; agentCompletion: number; userPrompt: number; userCompletion: number };
  /** Total cost in USD; null when any model's price is unknown. */
  costUsd: number | null;
  /** Episodes that ended in error (counted in every rate as failures, never dropped). */
  errors: number;
  /**
   * Runs with a modality (docs/speech.md): every figure above over the text and over the speech
   * episodes alone (pass^k over the tasks with ≥ k trials of that modality).
   */
  byModality?: Partial<Record<'text' | 'speech', Summary>>;
  /** What the spoken episodes cost: TTS seconds, audio bytes and seconds per episode. */
  speech?: SpeechCosts;
}

const mean = (xs: number[]): number | null => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Summarises one record per (task, trial); `taskIds` fixes the task set and order. */
export function summarize(episodes: readonly Trajectory[], taskIds: readonly string[], trials: number): Summary {
  const all = summarizeOne(episodes, taskIds, trials);
  if (!hasModality(episodes)) return all;
  const byModality: Partial<Record<'text' | 'speech', Summary>> = {};
  for (const m of ['text', 'speech'] as const) {
    const mine = episodes.filter((e) => modalityOf(e) === m);
    if (mine.length > 0) byModality[m] = summarizeOne(mine, taskIds, trials);
  }
  const speech = speechCosts(episodes);
  return { ...all, byModality, ...(speech && { speech }) };
}

function summarizeOne(episodes: readonly Trajectory[], taskIds: readonly string[], trials: number): Summary {
  const byTask = new Map<string, (number | null)[]>(taskIds.map((id) => [id, new Array<number | null>(trials).fill(null)]));
  for (const e of episodes) {
    const row = byTask.get(e.taskId);
    if (row && e.trial >= 0 && e.trial < trials) row[e.trial] = e.reward;
  }
  const perTask: TaskResult[] = [...byTask].map(([taskId, rewards]) => {
    const done = rewards.filter((r): r is number => r !== null);
    return { taskId, rewards, successes: done.filter((r) => r >= 1).length, trials: done.length };
  });
  const counts = perTask.filter((t) => t.trials > 0).map((t) => ({ n: t.trials, c: t.successes }));
  const passHat: Record<string, number | null> = {};
  const passAt: Record<string, number | null> = {};
  for (let k = 1; k <= trials; k++) {
    passHat[k] = meanOverTasks(counts, k, passHatK);
    passAt[k] = meanOverTasks(counts, k, passAtK);
  }
  const terminations: Record<Termination, number> = { user_stop: 0, agent_transfer: 0, max_steps: 0, error: 0, agent_stop: 0, too_many_errors: 0 };
  const histogram: Record<string, number> = {};
  const behaviours = episodes.map(episodeBehaviour);
  let cost: number | null = 0;
  const tokens = { agentPrompt: 0, agentCompletion: 0, userPrompt: 0, userCompletion: 0 };
  for (const e of episodes) {
    terminations[e.termination]++;
    histogram[e.steps.length] = (histogram[e.steps.length] ?? 0) + 1;
    tokens.agentPrompt += e.usage.agent.promptTokens;
    tokens.agentCompletion += e.usage.agent.completionTokens;
    tokens.userPrompt += e.usage.user.promptTokens;
    tokens.userCompletion += e.usage.user.completionTokens;
    const c = e.usage.agent.costUsd === null || e.usage.user.costUsd === null ? null : e.usage.agent.costUsd + e.usage.user.costUsd;
    cost = cost === null || c === null ? null : cost + c;
  }
  const turns = behaviours.reduce((a, b) => a + b.turns, 0);
  return {
    tasks: taskIds.length,
    trials,
    episodes: episodes.length,
    passHatK: passHat,
    passAtK: passAt,
    meanReward: mean(episodes.map((e) => e.reward)),
    perTask,
    terminations,
    stepsPerEpisode: { mean: mean(episodes.map((e) => e.steps.length)), histogram },
    toolErrorsPerEpisode: mean(behaviours.map((b) => b.toolErrors)),
    waitTokensPerTurn: turns ? behaviours.reduce((a, b) => a + b.waitTokens, 0) / turns : null,
    replyChars: mean(behaviours.flatMap((b) => b.replyChars)),
    completionTokensPerTurn: turns && tokens.agentCompletion ? tokens.agentCompletion / turns : null,
    tokens,
    costUsd: episodes.length ? cost : 0,
    errors: terminations.error,
  };
}
