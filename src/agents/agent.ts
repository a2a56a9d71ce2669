import type { Task } from '../dataset/task.ts';
import type { Tau2Task } from '../dataset/tau2-task.ts';
import type { ChatMessage, TokenRecord, Usage } from '../chat/messages.ts';
import type { PyDict } from '../py/value.ts';
import type { ToolDefinition } from '../sandbox/tool-schema.ts';
import type { AudioInput } from '../voice/wire.ts';

/** What an agent decided in one turn (design.md §3: one turn = one model call). */
export type AgentAction =
  | {
      type: 'tool';
      name: string;
      kwargs: PyDict;
      callId: string;
      /**
       * Set when the model's arguments were unusable (malformed JSON, not an object): the loop
       * must not run the tool and must report this `Error: …` text as the tool observation,
       * so the model can recover. `kwargs` is then empty.
       */
      argumentError?: string;
    }
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
  /** τ²-bench episodes: the τ² task (`task` is then a summary of it for agents that only need ids). */
  tau2Task?: Tau2Task;
  /** The system prompt's policy text (the dataset's policy document). */
  policy: string;
  tools: readonly ToolDefinition[];
  seed: number;
  /** Trial index (0-based): part of cache keys so k trials stay k samples. */
  trial: number;
  /** Speech episodes: where the spoken user turns' audio is read (messages carry only references). */
  audio?: AudioInput;
}

/** One episode of an agent: given the conversation so far, produce the next turn. */
export interface AgentEpisode {
  /**
   * The system message this agent's model must see (text agents add format instructions and
   * the tool list to the policy). The loop puts it first when present; default: the policy.
   */
  readonly systemPrompt?: string;
  /** `messages` starts with the system message and ends with the latest user or tool message. */
  act(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<AgentStep>;
  /** Called once when the episode ends, whatever ended it (a batching sampler counts live episodes). */
  end?(): void;
  /** Test agents only: what was done wrong on purpose, recorded in the trajectory (never shown to judges). */
  injection?(): Record<string, unknown> | undefined;
}

export interface Agent {
  readonly name: string;
  start(ctx: AgentContext): AgentEpisode;
}
