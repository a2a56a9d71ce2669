import type { ChatMessage } from '../chat/messages.ts';
import type { ToolDefinition } from '../sandbox/tool-schema.ts';

/** What a text agent writes before its action: nothing (Act) or a `Thought:` line (ReAct). */
export type TextFormat = 'act' | 'react';

const EXAMPLE_TOOL = {
  type: 'function',
  function: {
    name: 'get_current_weather',
    description: 'Get the current weather',
    parameters: {
      type: 'object',
      properties: {
        location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
        format: { type: 'string', enum: ['celsius', 'fahrenheit'], description: 'The temperature unit to use. Infer this from the users location.' },
      },
      required: ['location', 'format'],
    },
  },
};

function instruction(format: TextFormat): string {
  const thought = (line: string): string => (format === 'react' ? `Thought:\n${line}\n` : '');
  const formatLines =
    format === 'react'
      ? 'Thought:\n<A single line of reasoning to process the context and inform the decision making. Do not include extra lines.>\nAction:\n'
      : 'Action:\n';
  return `
# Instruction
You need to act as an agent that uses the above tools to help the user according to the above policy.

At each step, your generation should have exactly the following format:
${formatLines}{"name": <The name of the action>, "arguments": <The arguments to the action in json format>}

The Action will be parsed, so it must be valid JSON.

You should not use made-up or placeholder arguments.

For example, if the user says "I want to know the current weather of San Francisco", and there is such a tool available
${JSON.stringify(EXAMPLE_TOOL, null, 4)}

Your response can be like
${thought('Since the user asks for the weather of San Francisco in USA, the unit should be in fahrenheit. I can query get_current_weather to get the weather.')}Action:
{"name": "get_current_weather", "arguments": {"location": "San Francisco, CA", "format": "fahrenheit"}}

And if the tool returns "70F", your response can be:
${thought('I can answer the user now.')}Action:
{"name": "respond", "arguments": {"content": "The current weather of San Francisco is 70F."}}

Try to be helpful and always follow the policy.
`;
}

/** τ-bench's layout: policy, the tool list as JSON, then the format instruction. */
export function textAgentSystemPrompt(policy: string, tools: readonly ToolDefinition[], format: TextFormat): string {
  return `${policy}\n#Available tools\n${JSON.stringify(tools)}${instruction(format)}`;
}

/**
 * The conversation as a text agent's model sees it: tool observations come back as user
 * messages `API output: …` (τ-bench's ReAct loop), since the model never made native calls.
 */
export function renderForTextAgent(messages: readonly ChatMessage[], system: string): ChatMessage[] {
  const out: ChatMessage[] = [{ role: 'system', content: system }];
  for (const m of messages) {
    if (m.role === 'system') continue;
    if (m.role === 'tool') out.push({ role: 'user', content: `API output: ${m.content}` });
    else if (m.role === 'assistant') out.push({ role: 'assistant', content: m.content ?? '' });
    else out.push(m);
  }
  return out;
}
