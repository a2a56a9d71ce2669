import type { Termination, Trajectory } from '../episode/trajectory.ts';
import { rewardShapingSchema, tarlReward, type RewardShaping } from '../rl/reward-shaping.ts';
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
  /** Turn-level verdicts over the run's judged episodes; null when no episode was judged. */
  judge: JudgeSummary | null;
  /** Shaped rewards (never a success figure); null when no episode has verdicts or a recorded one. */
  shapedReward: ShapedRewardSummary | null;
  /**
   * Runs with a modality (docs/speech.md): every figure above over the text and over the speech
   * episodes alone (pass^k over the tasks with ≥ k trials of that modality).
   */
  byModality?: Partial<Record<'text' | 'speech', Summary>>;
  /** What the spoken episodes cost: TTS seconds, audio bytes and seconds per episode. */
  speech?: SpeechCosts;
}

export interface JudgeSummary {
  /** Judge names as recorded (one run may hold several after a re-judge). */
  judges: string[];
  /** Episodes with a judge record, and of those the ones whose judge failed (no verdicts). */
  judged: number;
  failed: number;
  /** Agent turns scored, by score. */
  turns: number;
  scores: { '+1': number; '0': number; '-1': number };
  /** Judged episodes with a −1 verdict, split by verifier outcome (a −1 in a passed episode is a judge/verifier disagreement worth reading). */
  negativeEpisodes: { passed: number; failed: number };
}

export interface ShapedRewardSummary {
  /**
   * `recorded`: training rollouts' own shaped rewards (`rl.reward`); `default tarl shaping`: what
   * the default TARL shaping (`shaping`) gives this run's verdicts and outcomes.
   */
  source: 'recorded' | 'default tarl shaping';
  shaping: RewardShaping | null;
  episodes: number;
  mean: number;
  min: number;
  max: number;
  /** Mean shaped reward of passed and of failed episodes (null: none of that outcome). */
  meanByOutcome: { passed: number | null; failed: number | null };
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
    judge: judgeSummary(episodes),
    shapedReward: shapedRewardSummary(episodes),
  };
}

function judgeSummary(episodes: readonly Trajectory[]): JudgeSummary | null {
  const judged = episodes.filter((e) => e.judge);
  if (judged.length === 0) return null;
  const scores = { '+1': 0, '0': 0, '-1': 0 };
  const negativeEpisodes = { passed: 0, failed: 0 };
  let failed = 0;
  for (const e of judged) {
    if (e.judge!.status !== 'ok') {
      failed++;
      continue;
    }
    for (const v of e.judge!.verdicts) scores[v.score === 1 ? '+1' : v.score === 0 ? '0' : '-1']++;
    if (e.judge!.verdicts.some((v) => v.score < 0)) negativeEpisodes[e.reward >= 1 ? 'passed' : 'failed']++;
  }
  return {
    judges: [...new Set(judged.map((e) => e.judge!.judge))],
    judged: judged.length,
    failed,
    turns: scores['+1'] + scores['0'] + scores['-1'],
    scores,
    negativeEpisodes,
  };
}

/**
 * Recorded shaped rewards when every episode has one (training rollouts); otherwise, over the
 * episodes the judge scored, the default TARL shaping R = o + λ·mean(s) — what training on this
 * run's verdicts would reward, shown beside the outcome it must never replace.
 */
function shapedRewardSummary(episodes: readonly Trajectory[]): ShapedRewardSummary | null {
  let source: ShapedRewardSummary['source'];
  let shaping: RewardShaping | null = null;
  let rows: { r: number; passed: boolean }[];
  if (episodes.length > 0 && episodes.every((e) => e.rl)) {
    source = 'recorded';
    rows = episodes.map((e) => ({ r: e.rl!.reward, passed: e.reward >= 1 }));
  } else {
    source = 'default tarl shaping';
    const cfg = (shaping = rewardShapingSchema.parse({}));
    rows = episodes.flatMap((e) => (e.judge?.status === 'ok' ? [{ r: tarlReward(e.reward, e.judge.verdicts.map((v) => v.score), cfg), passed: e.reward >= 1 }] : []));
  }
  if (rows.length === 0) return null;
  const rs = rows.map((x) => x.r);
  return {
    source,
    shaping,
    episodes: rows.length,
    mean: mean(rs)!,
    min: rs.reduce((a, b) => Math.min(a, b)),
    max: rs.reduce((a, b) => Math.max(a, b)),
    meanByOutcome: { passed: mean(rows.filter((x) => x.passed).map((x) => x.r)), failed: mean(rows.filter((x) => !x.passed).map((x) => x.r)) },
  };
}
