import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agents/registry.ts';
import { parseTextAction } from '../src/agents/text-action.ts';
import type { ChatMessage } from '../src/chat/messages.ts';
import { parseModelSpecString } from '../src/llm/model-spec.ts';
import { dumps } from '../src/py/dumps.ts';
import { retailContext } from './support/agent-context.ts';
import { ScriptedLlmServer, text, toolCall, type Script } from './support/llm-server.ts';

describe('parseTextAction', () => {
  const ok = (content: string) => {
    const p = parseTextAction(content);
    if (!p.ok) throw new Error(`expected a parse: ${p.reason}`);
    return { name: p.name, args: dumps(p.kwargs), thought: p.thought };
  };

  it('reads a ReAct step with its thought', () => {
    expect(ok('Thought:\nI should look up the order.\nAction:\n{"name": "get_order_details", "arguments": {"order_id": "#W1"}}')).toEqual({
      name: 'get_order_details',
      args: '{"order_id": "#W1"}',
      thought: 'I should look up the order.',
    });
  });

  it('takes the last Action:, tolerates code fences and trailing text, keeps floats', () => {
    expect(ok('Action: {"name": "a", "arguments": {}}\nAction:\n```json\n{"name": "calculate", "arguments": {"x": 1.0, "s": "}{"}}\n```\nHope that helps!')).toEqual({
      name: 'calculate',
      args: '{"x": 1.0, "s": "}{"}',
      thought: undefined,
    });
  });

  it.each([
    ['no action at all', 'Sure, I can help with that.', /no "Action:"/],
    ['single quotes', "Action: {'name': 'respond', 'arguments': {'content': 'hi'}}", /not valid JSON/],
    ['python literals', 'Action: {"name": "x", "arguments": {"a": True}}', /not valid JSON/],
    ['trailing comma', 'Action: {"name": "x", "arguments": {"a": 1,}}', /not valid JSON/],
    ['unclosed object', 'Action: {"name": "x", "arguments": {"a": 1}', /not closed/],
    ['prose before the JSON', 'Action: I will call {"name": "x", "arguments": {}}', /not a JSON object/],
    ['missing arguments', 'Action: {"name": "x"}', /no object "arguments"/],
    ['non-string name', 'Action: {"name": 3, "arguments": {}}', /no string "name"/],
    ['respond without content', 'Action: {"name": "respond", "arguments": {"text": "hi"}}', /no string "content"/],
  ])('rejects %s', (_label, content, reason) => {
    const p = parseTextAction(content);
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.reason).toMatch(reason);
  });

  it('the fallback text is what follows the last Action: (or the whole message)', () => {
    const p = parseTextAction("Thought: hmm\nAction: {'name': 'respond'}");
    expect(p).toMatchObject({ ok: false, raw: "{'name': 'respond'}", thought: 'hmm' });
    expect(parseTextAction('  just text  ')).toMatchObject({ ok: false, raw: 'just text' });
  });
});

let server: ScriptedLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function agentOn(kind: 'act' | 'react', script: Script) {
  server = await ScriptedLlmServer.start(script);
  const agent = createAgent(parseModelSpecString(`${kind}:model=m,base_url=${server.baseUrl}`));
  return { srv: server, ep: agent.start(retailContext()) };
}

const opening: ChatMessage[] = [
  { role: 'system', content: '# Retail agent policy\nBe helpful.' },
  { role: 'user', content: 'Where is my order?' },
];

describe('act and react agents against the local server', () => {
  it('react: a tool action, then tool output rendered as "API output:", then a reply', async () => {
    const { srv, ep } = await agentOn('react', [
      text('Thought:\nLook it up.\nAction:\n{"name": "get_order_details", "arguments": {"order_id": "#W2378156"}}'),
      text('Thought:\nAnswer.\nAction:\n{"name": "respond", "arguments": {"content": "It has shipped."}}'),
    ]);
    expect(ep.systemPrompt).toContain('# Retail agent policy\nBe helpful.\n#Available tools\n[{"type":"function"');
    expect(ep.systemPrompt).toContain('Thought:\n<A single line of reasoning');
    const s1 = await ep.act(opening);
    expect(s1.action).toMatchObject({ type: 'tool', name: 'get_order_details', callId: 'text_call_0' });
    expect(s1.message).toEqual({ role: 'assistant', content: 'Thought:\nLook it up.\nAction:\n{"name": "get_order_details", "arguments": {"order_id": "#W2378156"}}' });
    const history: ChatMessage[] = [...opening, s1.message, { role: 'tool', tool_call_id: 'text_call_0', name: 'get_order_details', content: '{"status": "delivered"}' }];
    const s2 = await ep.act(history);
    expect(s2.action).toEqual({ type: 'respond', content: 'It has shipped.' });
    const sent = srv.bodies[1]!.messages as ChatMessage[];
    expect(sent[0]).toEqual({ role: 'system', content: ep.systemPrompt });
    expect(sent.slice(1)).toEqual([opening[1], s1.message, { role: 'user', content: 'API output: {"status": "delivered"}' }]);
    expect(srv.bodies[0]!.tools).toBeUndefined();
  });

  it('act: no Thought in the instructions, and an unparseable action goes to the user as raw text', async () => {
    const { ep } = await agentOn('act', [text("Action: {'name': 'respond', 'arguments': {'content': 'Hello!'}}")]);
    expect(ep.systemPrompt).not.toContain('Thought:');
    const step = await ep.act(opening);
    expect(step.action).toEqual({ type: 'respond', content: "{'name': 'respond', 'arguments': {'content': 'Hello!'}}" });
    expect(step.note).toMatch(/^unparseable action \(the action is not valid JSON .*\): sent to the user as text/);
  });

  it('a message without any action is a reply with the whole text', async () => {
    const { ep } = await agentOn('react', [text('I can help you with that.')]);
    const step = await ep.act(opening);
    expect(step.action).toEqual({ type: 'respond', content: 'I can help you with that.' });
    expect(step.note).toMatch(/no "Action:"/);
  });

  it('unknown tool names pass through; native tool calls are ignored with a note', async () => {
    const { ep } = await agentOn('act', [
      { kind: 'message', content: 'Action: {"name": "drop_tables", "arguments": {"all": true}}', toolCalls: [{ name: 'x', arguments: '{}' }] },
    ]);
    const step = await ep.act(opening);
    expect(step.action).toMatchObject({ type: 'tool', name: 'drop_tables' });
    expect(step.note).toMatch(/native tool calls .* ignored/);
  });

  it('a tool-calling reply to a text agent with no content is an empty reply', async () => {
    const { ep } = await agentOn('act', [toolCall('x', '{}')]);
    const step = await ep.act(opening);
    expect(step.action).toEqual({ type: 'respond', content: '' });
  });
});
