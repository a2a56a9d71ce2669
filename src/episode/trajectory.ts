import type { AgentAction } from '../agents/agent.ts';
import { dumps } from '../py/dumps.ts';
import { parsePy } from '../py/parse.ts';
import { isDict, type PyDict } from '../py/value.ts';
import type { RewardInfo } from '../verify/verifier.ts';
import type { ChatMessage, TokenRecord, Usage } from '../chat/messages.ts';
import type { VoiceRecord } from '../voice/voice.ts';
import type { StoredTau2Message, Tau2Termination } from './tau2-messages.ts';
import type { Tau2RewardInfo } from '../verify/tau2-reward.ts';

export const TRAJECTORY_SCHEMA_VERSION = 1;

/**
 * Why an episode ended. `max_steps` and `error` end without τ-bench's evaluation (reward 0).
 * τ²-bench episodes add `agent_stop` (the agent said ###STOP###) and `too_many_errors`.
 */
export type Termination = 'user_stop' | 'agent_transfer' | 'max_steps' | 'error' | 'agent_stop' | 'too_many_errors';

/**
 * An agent action as stored: tool arguments are kept as Python `json.dumps` text so int vs float
 * and key order survive the JSONL round trip (a Map would serialise as `{}`).
 */
export type RecordedAction =
  | { type: 'tool'; name: string; arguments: string; callId: string }
  | { type: 'respond'; content: string };

export function recordAction(a: AgentAction): RecordedAction {
  return a.type === 'tool' ? { type: 'tool', name: a.name, arguments: dumps(a.kwargs), callId: a.callId } : a;
}

/** The keyword arguments of a recorded tool action, read back losslessly. */
export function recordedKwargs(a: Extract<RecordedAction, { type: 'tool' }>): PyDict {
  const v = parsePy(a.arguments);
  return isDict(v) ? v : new Map();
}

/** One agent turn (design.md §3) and what followed it: an observation or the user's reply. */
export interface StepRecord {
  /** 0-based agent turn index; judge scores and token rewards are indexed by it. */
  turn: number;
  action: RecordedAction;
  /** Index of this turn's assistant message in `messages`. */
  messageIndex: number;
  observation?: string;
  userReply?: string;
  /** Simulator-side text never shown to the agent (e.g. a ReAct user's thought). */
  userHidden?: string;
  usage?: Usage;
  userUsage?: Usage;
  tokens?: TokenRecord;
  note?: string;
  wallMs: number;
}

/** One turn-level verdict (the judge's): score in {−1, 0, +1} and a one-line rationale. */
export interface TurnVerdict {
  turn: number;
  score: -1 | 0 | 1;
  rationale: string;
}

export interface JudgeRecord {
  judge: string;
  promptVersion?: string;
  status: 'ok' | 'judge_failed';
  verdicts: TurnVerdict[];
  /** Kept when the judge failed, so nothing is silently lost. */
  raw?: string;
  error?: string;
}

/** One episode: the unit of evaluation and of RL. One line of `episodes.jsonl`. */
export interface Trajectory {
  schema: number;
  taskId: string;
  domain: string;
  split: string;
  taskIndex: number;
  trial: number;
  seed: number;
  agent: string;
  user: string;
  /** The agent's view of the conversation (system, user, assistant, tool), OpenAI chat shape. */
  messages: ChatMessage[];
  steps: StepRecord[];
  termination: Termination;
  error?: string;
  /** The verifier's outcome (0/1): the only number success metrics use (invariant 5). */
  reward: number;
  rewardInfo?: RewardInfo;
  /** τ²-bench episodes: the dual-control conversation, τ²'s termination and reward breakdown. */
  tau2?: Tau2EpisodeRecord;
  /** Scripted-user bookkeeping: replies it could not map to a dialogue act, etc. */
  userStats?: Record<string, number>;
  /** Test agents record what they did wrong on purpose (never shown to judges). */
  injection?: Record<string, unknown>;
  /** Set when the run has a modality other than text (docs/speech.md): how the user's turns reached the agent. Absent: text. */
  modality?: 'text' | 'speech';
  /** Speech episodes: the user's voice (engine, version, voice, rate, pitch, sample rate, SNR). */
  voice?: VoiceRecord;
  judge?: JudgeRecord;
  /** Training rollouts: the RL step that sampled this episode (`trial` is then the sample index in its group). */
  step?: number;
  /** Asynchronous training rollouts: the policy version (updates completed) its group was launched at; `step` − it is the staleness. */
  policyVersion?: number;
  /** Training rollouts: the shaped reward and advantages the update used (never a success metric). */
  rl?: RolloutRecord;
  usage: { agent: Usage; user: Usage };
  wallMs: number;
  startedAt: string;
}

/** The τ²-bench side of an episode record (what τ²'s own tooling reads back). */
export interface Tau2EpisodeRecord {
  /** Every message in order: agent and user texts, both sides' tool calls and their results. */
  messages: StoredTau2Message[];
  termination: Tau2Termination;
  reward: Tau2RewardInfo;
  /** Telecom solo mode: one agent with both toolkits and the ticket. */
  solo: boolean;
}

/** What the RL loop made of a rollout (stored on its trajectory in a training run). */
export interface RolloutRecord {
  /** The shaped trajectory reward R (reward shaping), from the outcome and the turn scores. */
  reward: number;
  /** Per agent turn: the advantage its sampled tokens carried (0 for a dropped group). */
  advantages_K: number[];
  /** Whether the group carried signal (a group whose rewards are all equal is dropped). */
  kept: boolean;
  /** Sampled tokens that carried loss. */
  trainTokens: number;
}

/**
 * The record key: one episode per (task, trial) in an evaluation run, one per (step, task, sample)
 * in a training run, so the G rollouts of a task at one step are G records.
 */
export function episodeKey(t: Pick<Trajectory, 'taskId' | 'trial'> & { step?: number | undefined }): string {
  return t.step === undefined ? `${t.taskId}#${t.trial}` : `${t.step}/${t.taskId}#${t.trial}`;
}

export function addUsage(a: Usage, b: Usage | undefined): Usage {
  if (!b) return a;
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
  };
}

export const zeroUsage = (): Usage => ({ promptTokens: 0, completionTokens: 0, costUsd: 0 });
