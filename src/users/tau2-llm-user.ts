/**
 * The LLM user of τ²-bench episodes: the model plays the customer from the task's user
 * scenario and, where the domain has them, holds the user's tools (telecom's phone). Roles are
 * inverted for the model: the agent's texts reach it as `user` messages, its own turns are
 * `assistant` messages, and its tool results come back as `tool` messages — to the user only.
 * Ours, not τ²'s prompt (τ²'s simulation guidelines are not part of its published data).
 */
import type { ChatMessage, ToolCall, Usage } from '../chat/messages.ts';
import type { ChatClient } from '../llm/client.ts';
import { parsePy } from '../py/parse.ts';
import { isDict, type PyDict, type PyValue } from '../py/value.ts';
import { addUsage, zeroUsage } from '../episode/trajectory.ts';
import type { Tau2ToolCall } from '../episode/tau2-messages.ts';
import type { Tau2UserContext, Tau2UserEpisode, Tau2UserSimulator, Tau2UserTurn } from './tau2-user.ts';

/** `str(UserScenario)` as τ² prints it: persona, then instructions (structured ones field by field). */
export function scenarioText(raw: PyDict): string {
  const scenario = raw.get('user_scenario');
  if (!isDict(scenario)) return '';
  const indent = (s: string): string => s.replace(/^(?=.)/gm, '\t');
  const lines: string[] = [];
  const persona = scenario.get('persona');
  if (typeof persona === 'string') lines.push('Persona:', indent(persona));
  lines.push('Instructions:');
  const ins = scenario.get('instructions');
  if (typeof ins === 'string') lines.push(indent(ins));
  else if (isDict(ins)) {
    const part: string[] = [];
    const get = (k: string): PyValue | undefined => ins.get(k);
    part.push(`Domain: ${String(get('domain'))}`);
    part.push(`Reason for call:\n${indent(String(get('reason_for_call') ?? ''))}`);
    if (typeof get('known_info') === 'string') part.push(`Known info:\n${indent(get('known_info') as string)}`);
    if (typeof get('unknown_info') === 'string') part.push(`Unknown info:\n${indent(get('unknown_info') as string)}`);
    part.push(`Task instructions:\n${indent(String(get('task_instructions') ?? ''))}`);
    lines.push(indent(part.join('\n')));
  }
  return lines.join('\n');
}

export function tau2UserSystemPrompt(raw: PyDict, withTools: boolean): string {
  return [
    'You are playing the role of a customer contacting a customer service agent. Follow the scenario below.',
    'Speak only as the customer, one short message at a time, in your own words. Reveal information only when the agent asks for it or when you need it to get help. Never invent facts the scenario does not give you.',
    withTools
      ? 'You have tools that act on your own device or account. When the agent asks you to check or change something on your side, do it with a tool call instead of describing it; you see the results, the agent does not, so tell the agent what you found.'
      : '',
    'When your goal is reached or the conversation should end, reply with ###STOP### alone. If you are transferred to a human agent, reply with ###TRANSFER###. If the scenario gives you nothing to say about what the agent asks, reply with ###OUT-OF-SCOPE###.',
    '',
    '<scenario>',
    scenarioText(raw),
    '</scenario>',
  ]
    .filter((l, i) => l !== '' || i > 2)
    .join('\n');
}

export class Tau2LlmUser implements Tau2UserSimulator {
  readonly name: string;

  constructor(private readonly client: ChatClient) {
    this.name = `llm:${client.model}`;
  }

  start(ctx: Tau2UserContext): Tau2UserEpisode {
    const client = this.client;
    const history: ChatMessage[] = [{ role: 'system', content: tau2UserSystemPrompt(ctx.task.raw, ctx.tools.length > 0) }];
    let calls = 0;
    const names = new Map<string, string>();
    return {
      async next(input, signal): Promise<Tau2UserTurn> {
        if ('agentText' in input) history.push({ role: 'user', content: input.agentText });
        else for (const r of input.toolResults) history.push({ role: 'tool', tool_call_id: r.id, name: names.get(r.id) ?? '', content: r.content });
        let usage: Usage = zeroUsage();
        const res = await client.chat({ messages: history, ...(ctx.tools.length > 0 && { tools: ctx.tools }) }, { trial: ctx.trial, scope: ctx.task.id, ...(signal && { signal }) });
        usage = addUsage(usage, res.usage);
        const raw: ToolCall[] = res.message.tool_calls ?? [];
        if (raw.length > 0) {
          const toolCalls: Tau2ToolCall[] = raw.map((c) => {
            let args: PyValue;
            try {
              args = c.function.arguments.trim() === '' ? new Map() : parsePy(c.function.arguments);
            } catch {
              args = new Map();
            }
            return { id: c.id || `user_call_${calls++}`, name: c.function.name, arguments: isDict(args) ? args : new Map(), requestor: 'user' };
          });
          for (const c of toolCalls) names.set(c.id, c.name);
          history.push({ role: 'assistant', content: null, tool_calls: raw.map((c, i) => ({ ...c, id: toolCalls[i]!.id })) });
          return { content: null, toolCalls, usage };
        }
        const text = res.message.content ?? '';
        history.push({ role: 'assistant', content: text });
        return { content: text, toolCalls: [], usage };
      },
    };
  }
}
