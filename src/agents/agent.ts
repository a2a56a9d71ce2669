import type { Task } from '../dataset/task.ts';
import type { ChatMessage, TokenRecord, Usage } from '../episode/messages.ts';
import type { PyDict } from '../py/value.ts';
import type { ToolDefinition } from '../sandbox/tool-schema.ts';

/** What an agent decided in one turn (design.md §3: one turn = one model call). */
export type AgentAction =
  | { type: 'tool'; name: string; kwargs: PyDict; callId: string }
  | { type: 'respond'; content: string };

export interface AgentStep {
  action: AgentAction;
  /** The assistant message appended to the conversation (tool call or text), as produced. */
  message: Extract<ChatMessage, { role: 'assistant' }>;
  usage?: Usage;
  tokens?: TokenRecord;
  /** Why the raw output was reinterpreted, e.g. an unparseable ReAct action sent as a reply. */
  note?: string;
}

export interface AgentContext {
  task: Task;
  /** The system prompt's policy text (the dataset's policy document). */
  policy: string;
  tools: readonly ToolDefinition[];
  seed: number;
  /** Trial index (0-based): part of cache keys so k trials stay k samples. */
  trial: number;
}

/** One episode of an agent: given the conversation so far, produce the next turn. */
export interface AgentEpisode {
  /** `messages` starts with the system message and ends with the latest user or tool message. */
  act(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<AgentStep>;
  /** Test agents only: what was done wrong on purpose, recorded in the trajectory (never shown to judges). */
  injection?(): Record<string, unknown> | undefined;
}

export interface Agent {
  readonly name: string;
  start(ctx: AgentContext): AgentEpisode;
}
