import type { ChatMessage, ToolCall } from '../chat/messages.ts';
import type { ChatClient } from '../llm/client.ts';
import type { Agent, AgentAction, AgentContext, AgentEpisode, AgentStep } from './agent.ts';
import { parseToolArguments } from './tool-arguments.ts';

/**
 * Native function calling, as τ-bench's tool-calling agent: the system prompt is the policy,
 * the model gets the tools, and only the first tool call of a message is executed. The stored
 * assistant message keeps just that call so every tool_call has its tool message and the
 * conversation stays valid for the next request. Unknown tool names go to the sandbox, which
 * answers `Unknown action …`. Malformed arguments become an `argumentError` observation.
 */
export class ToolCallingAgent implements Agent {
  readonly name = 'tool-calling';

  constructor(private readonly client: ChatClient) {}

  start(ctx: AgentContext): AgentEpisode {
    const client = this.client;
    return {
      systemPrompt: ctx.policy,
      async act(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<AgentStep> {
        const opts = { trial: ctx.trial, scope: ctx.task.id, ...(signal && { signal }) };
        const res = await client.chat({ messages: withSystem(sanitiseHistory(messages), ctx.policy), tools: ctx.tools, ...(ctx.audio && { audio: ctx.audio }) }, opts);
        const calls = res.message.tool_calls ?? [];
        const step: AgentStep = { action: { type: 'respond', content: res.message.content ?? '' }, message: res.message, usage: res.usage };
        if (res.tokens) step.tokens = res.tokens;
        const first = calls[0];
        if (!first) return step;
        const notes: string[] = [];
        if (calls.length > 1) notes.push(`model made ${calls.length} tool calls (${calls.map((c) => c.function.name).join(', ')}); only the first was executed, as in τ-bench`);
        step.message = { role: 'assistant', content: res.message.content, tool_calls: [first] };
        const parsed = parseToolArguments(first.function.name, first.function.arguments);
        const action: AgentAction = { type: 'tool', name: first.function.name, kwargs: parsed.ok ? parsed.kwargs : new Map(), callId: first.id };
        if (!parsed.ok) {
          action.argumentError = parsed.error;
          notes.push('unparseable tool-call arguments: not executed, the error was reported to the model as the observation');
        }
        step.action = action;
        if (notes.length > 0) step.note = notes.join('; ');
        return step;
      },
    };
  }
}

/** Puts this agent's system prompt first (whatever the caller placed there). */
export function withSystem(messages: readonly ChatMessage[], system: string): ChatMessage[] {
  const rest = messages[0]?.role === 'system' ? messages.slice(1) : messages;
  return [{ role: 'system', content: system }, ...rest];
}

/**
 * Servers that re-parse past arguments for their chat template (vLLM does) reject a history
 * holding malformed JSON, so the request carries `{}` there; the stored message keeps the raw
 * text and the tool observation quotes it, so the model still sees what it wrote.
 */
function sanitiseHistory(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map((m) => {
    if (m.role !== 'assistant' || !m.tool_calls) return m;
    const calls: ToolCall[] = m.tool_calls.map((c) =>
      parseToolArguments(c.function.name, c.function.arguments).ok && c.function.arguments.trim() !== '' ? c : { ...c, function: { ...c.function, arguments: '{}' } },
    );
    return { ...m, tool_calls: calls };
  });
}
