import type { ChatMessage } from '../chat/messages.ts';
import type { ChatClient } from '../llm/client.ts';
import type { Agent, AgentContext, AgentEpisode, AgentStep } from './agent.ts';
import { parseTextAction, RESPOND } from './text-action.ts';
import { renderForTextAgent, textAgentSystemPrompt, type TextFormat } from './text-prompt.ts';

/**
 * τ-bench's Act and ReAct agents: the model writes its action as text
 * (`Action: {"name": …, "arguments": …}`, after a `Thought:` line for ReAct). The `respond`
 * action answers the user; any other name is a tool call (unknown names reach the sandbox).
 * An unparseable action is sent to the user as the raw text after `Action:`, as τ-bench does,
 * and the step's note says why.
 */
export class TextActionAgent implements Agent {
  readonly name: TextFormat;

  constructor(
    private readonly client: ChatClient,
    readonly format: TextFormat,
  ) {
    this.name = format;
  }

  start(ctx: AgentContext): AgentEpisode {
    const client = this.client;
    const system = textAgentSystemPrompt(ctx.policy, ctx.tools, this.format);
    let turn = 0;
    return {
      systemPrompt: system,
      async act(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<AgentStep> {
        const opts = { trial: ctx.trial, scope: ctx.task.id, ...(signal && { signal }) };
        const res = await client.chat({ messages: renderForTextAgent(messages, system), ...(ctx.audio && { audio: ctx.audio }) }, opts);
        const callId = `text_call_${turn++}`;
        const content = res.message.content ?? '';
        const step: AgentStep = { action: { type: 'respond', content }, message: { role: 'assistant', content }, usage: res.usage };
        if (res.tokens) step.tokens = res.tokens;
        const parsed = parseTextAction(content);
        if (!parsed.ok) {
          step.action = { type: 'respond', content: parsed.raw };
          step.note = `unparseable action (${parsed.reason}): sent to the user as text, as in τ-bench`;
        } else if (parsed.name === RESPOND) {
          // parseTextAction guarantees a string content for respond.
          step.action = { type: 'respond', content: String(parsed.kwargs.get('content')) };
        } else {
          step.action = { type: 'tool', name: parsed.name, kwargs: parsed.kwargs, callId };
        }
        if (res.message.tool_calls) step.note = [step.note, 'native tool calls in a text agent\'s reply were ignored'].filter(Boolean).join('; ');
        return step;
      },
    };
  }
}
