import type { Task } from '../dataset/task.ts';
import type { AudioRef, Usage } from '../chat/messages.ts';
import type { VoiceRecord } from '../voice/voice.ts';

export const STOP_TOKEN = '###STOP###';

export interface UserReply {
  /** What the agent receives (a ReAct user's thought never appears here). */
  content: string;
  /** The user ended the conversation (its reply contains ###STOP###). */
  stop: boolean;
  usage?: Usage;
  /** Simulator-side detail kept for the record only (e.g. the ReAct thought), never shown to the agent. */
  hidden?: string;
  /** A spoken reply (speech modality): what the agent hears; `content` is its transcript. */
  audio?: AudioRef;
}

export interface UserContext {
  task: Task;
  seed: number;
  trial: number;
}

/** One conversation of a simulated (or human) user. */
export interface UserEpisode {
  /** The user's opening message. */
  first(signal?: AbortSignal): Promise<UserReply>;
  /** The user's answer to the agent's latest text message. */
  reply(agentText: string, signal?: AbortSignal): Promise<UserReply>;
  /** Counters worth keeping in the record (e.g. a scripted user's clarification requests). */
  stats?(): Record<string, number>;
  /** Speaking users (src/voice/speaking-user.ts): whether this episode is spoken, and in which voice. */
  speech?(): { modality: 'text' | 'speech'; voice?: VoiceRecord };
}

export interface UserSimulator {
  readonly name: string;
  start(ctx: UserContext): UserEpisode;
}
