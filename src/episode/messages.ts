/** Chat messages in OpenAI's shape: what agents read and write, and what trajectories store. */

export interface ToolCall {
  id: string;
  type: 'function';
  /** `arguments` is the JSON text exactly as the model produced it. */
  function: { name: string; arguments: string };
}

export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; name: string; content: string };

/** Token usage and cost of one model call. `costUsd` is null when the price is unknown, never 0. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number | null;
}

/** Token ids and sampling log-probs of one completion, when the policy provides them (RL). */
export interface TokenRecord {
  promptIds?: number[];
  completionIds: number[];
  logprobs: number[];
}
