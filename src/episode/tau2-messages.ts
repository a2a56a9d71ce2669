/**
 * A τ²-bench conversation as its evaluators read it (`tau2.data_model.message`): assistant and
 * user messages, either of which may carry tool calls (dual control), and the tool results
 * that follow each call, in order.
 */
import { dumps } from '../py/dumps.ts';
import { parsePy } from '../py/parse.ts';
import { isDict, type PyDict } from '../py/value.ts';
import type { Requestor } from '../sandbox/tau2/environment.ts';

export interface Tau2ToolCall {
  id: string;
  name: string;
  arguments: PyDict;
  requestor: Requestor;
}

export type Tau2Message =
  | { role: 'assistant' | 'user'; content: string | null; toolCalls?: Tau2ToolCall[] }
  | { role: 'tool'; id: string; content: string; error: boolean; requestor: Requestor };

/** How τ² ended a simulation; only `agent_stop` and `user_stop` are evaluated (others score 0). */
export type Tau2Termination = 'agent_stop' | 'user_stop' | 'max_steps' | 'too_many_errors' | 'agent_error' | 'user_error';

/** A tool call as stored in JSON records (arguments as Python `json.dumps` text, lossless). */
export interface StoredToolCall {
  id: string;
  name: string;
  arguments: string;
  requestor: Requestor;
}

export type StoredTau2Message =
  | { role: 'assistant' | 'user'; content: string | null; toolCalls?: StoredToolCall[] }
  | { role: 'tool'; id: string; content: string; error: boolean; requestor: Requestor };

export function storeMessages(ms: readonly Tau2Message[]): StoredTau2Message[] {
  return ms.map((m) =>
    m.role === 'tool'
      ? m
      : { role: m.role, content: m.content, ...(m.toolCalls && { toolCalls: m.toolCalls.map((c) => ({ ...c, arguments: dumps(c.arguments) })) }) },
  );
}

export function loadMessages(ms: readonly StoredTau2Message[]): Tau2Message[] {
  return ms.map((m) => {
    if (m.role === 'tool') return m;
    const out: Tau2Message = { role: m.role, content: m.content };
    if (m.toolCalls) {
      out.toolCalls = m.toolCalls.map((c) => {
        const args = parsePy(c.arguments);
        return { ...c, arguments: isDict(args) ? args : new Map() };
      });
    }
    return out;
  });
}
