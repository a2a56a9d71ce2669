/**
 * A τ²-bench user simulator: dual control means the user may answer with tool calls on its
 * own toolkit (requestor "user"); their results come back to the user alone, never to the
 * agent. A text message goes to the agent; one containing a stop token ends the episode.
 */
import type { Usage } from '../chat/messages.ts';
import type { Tau2Task } from '../dataset/tau2-task.ts';
import type { Tau2ToolCall } from '../episode/tau2-messages.ts';
import type { ToolResponse } from '../sandbox/tau2/environment.ts';
import type { OpenAiToolSchema } from '../sandbox/tau2/tool.ts';

export const USER_STOP_TOKENS = ['###STOP###', '###TRANSFER###', '###OUT-OF-SCOPE###'] as const;

/** τ²'s `UserSimulator.is_stop`. */
export function isUserStop(text: string | null): boolean {
  return text !== null && USER_STOP_TOKENS.some((t) => text.includes(t));
}

export interface Tau2UserTurn {
  /** Text to the agent (null when the turn is tool calls). */
  content: string | null;
  toolCalls: Tau2ToolCall[];
  usage?: Usage;
}

export type Tau2UserInput = { agentText: string } | { toolResults: ToolResponse[] };

export interface Tau2UserContext {
  task: Tau2Task;
  /** The user's tools (empty for domains without a user toolkit). */
  tools: readonly OpenAiToolSchema[];
  seed: number;
  trial: number;
}

export interface Tau2UserEpisode {
  next(input: Tau2UserInput, signal?: AbortSignal): Promise<Tau2UserTurn>;
}

export interface Tau2UserSimulator {
  readonly name: string;
  start(ctx: Tau2UserContext): Tau2UserEpisode;
}
