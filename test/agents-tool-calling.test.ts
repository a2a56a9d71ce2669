import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agents/registry.ts';
import type { ChatMessage } from '../src/chat/messages.ts';
import { parseModelSpecString } from '../src/llm/model-spec.ts';
import { dumps } from '../src/py/dumps.ts';
import { retailContext } from './support/agent-context.ts';
import { ScriptedLlmServer, text, toolCall, toolCalls, type Script } from './support/llm-server.ts';

let server: ScriptedLlmServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function agentOn(script: Script) {
  server = await ScriptedLlmServer.start(script);
  const agent = createAgent(parseModelSpecString(`tool-calling:model=Qwen/Qwen3-8B:awq,base_url=${server.baseUrl},max_attempts=2`), { baseDelayMs: 1, maxDelayMs: 2 });
  const ctx = retailContext();
  return { srv: server, ep: agent.start(ctx), ctx };
}

const opening: ChatMessage[] = [
  { role: 'system', content: '# Retail agent policy\nBe helpful.' },
  { role: 'user', content: 'Where is my order #W2378156?' },
];

describe('tool-calling agent against the local server', () => {
  it('executes only the first of several tool calls and stores just that call', async () => {
    const { srv, ep } = await agentOn([
      toolCalls(
        [
          { name: 'find_user_id_by_name_zip', arguments: '{"first_name": "Yusuf", "last_name": "Rossi", "zip": "19122"}', id: 'call_a' },
          { name: 'get_order_details', arguments: '{"order_id": "#W2378156"}', id: 'call_b' },
        ],
        'Let me look you up.',
      ),
    ]);
    const step = await ep.act(opening);
    expect(step.action).toMatchObject({ type: 'tool', name: 'find_user_id_by_name_zip', callId: 'call_a' });
    expect(step.message.tool_calls?.map((c) => c.id)).toEqual(['call_a']);
    expect(step.message.content).toBe('Let me look you up.');
    expect(step.note).toMatch(/2 tool calls .*only the first was executed/);
    const body = srv.bodies[0]!;
    expect(body.messages).toEqual(opening);
    expect((body.tools as unknown[]).length).toBe(16);
    expect(body.temperature).toBe(0);
  });

  it('reads arguments losslessly: floats stay floats, key order survives', async () => {
    const { ep } = await agentOn([toolCall('calculate', '{"z": 1, "amount": 100.0, "10": "x"}')]);
    const step = await ep.act(opening);
    if (step.action.type !== 'tool') throw new Error('expected a tool action');
    expect(dumps(step.action.kwargs)).toBe('{"z": 1, "amount": 100.0, "10": "x"}');
    expect(step.note).toBeUndefined();
  });

  it('a text reply is a respond action', async () => {
    const { ep } = await agentOn([text('Could you give me your zip code?')]);
    const step = await ep.act(opening);
    expect(step.action).toEqual({ type: 'respond', content: 'Could you give me your zip code?' });
    expect(step.usage).toEqual({ promptTokens: 10, completionTokens: 5, costUsd: null });
  });

  it('malformed arguments become an error observation for the model, and the next request stays valid', async () => {
    const { srv, ep } = await agentOn([toolCall('get_order_details', "{'order_id': '#W1'}", 'call_bad'), text('Sorry, let me retry.')]);
    const step = await ep.act(opening);
    expect(step.action).toMatchObject({ type: 'tool', name: 'get_order_details', callId: 'call_bad' });
    if (step.action.type !== 'tool') throw new Error('expected a tool action');
    expect(step.action.kwargs.size).toBe(0);
    expect(step.action.argumentError).toMatch(/^Error: the arguments of get_order_details are not valid JSON .*\{'order_id': '#W1'\}$/);
    expect(step.note).toMatch(/unparseable tool-call arguments/);
    expect(step.message.tool_calls?.[0]?.function.arguments).toBe("{'order_id': '#W1'}");
    const history: ChatMessage[] = [...opening, step.message, { role: 'tool', tool_call_id: 'call_bad', name: 'get_order_details', content: step.action.argumentError! }];
    await ep.act(history);
    const sent = srv.bodies[1]!.messages as ChatMessage[];
    const assistant = sent[2] as Extract<ChatMessage, { role: 'assistant' }>;
    expect(assistant.tool_calls?.[0]?.function.arguments).toBe('{}');
    expect(sent[3]).toMatchObject({ role: 'tool', content: expect.stringContaining("{'order_id': '#W1'}") });
  });

  it('non-object arguments are errors too; empty arguments mean none', async () => {
    const { ep } = await agentOn([toolCall('get_order_details', '["#W1"]'), toolCall('list_all_product_types', '')]);
    const a = await ep.act(opening);
    expect(a.action.type === 'tool' && a.action.argumentError).toMatch(/must be a JSON object/);
    const b = await ep.act(opening);
    expect(b.action).toMatchObject({ type: 'tool', name: 'list_all_product_types' });
    expect(b.action.type === 'tool' && b.action.argumentError).toBeUndefined();
  });

  it('unknown tool names pass through to the sandbox', async () => {
    const { ep } = await agentOn([toolCall('delete_everything', { confirm: true })]);
    const step = await ep.act(opening);
    expect(step.action).toMatchObject({ type: 'tool', name: 'delete_everything' });
    expect(step.note).toBeUndefined();
  });

  it('replaces whatever system message it was given with the policy', async () => {
    const { srv, ep } = await agentOn([text('hi')]);
    expect(ep.systemPrompt).toBe('# Retail agent policy\nBe helpful.');
    await ep.act([{ role: 'system', content: 'other' }, opening[1]!]);
    expect((srv.bodies[0]!.messages as ChatMessage[])[0]).toEqual(opening[0]);
  });

  it('surfaces an endpoint that stays down as a typed error', async () => {
    const { ep } = await agentOn(() => ({ kind: 'status', status: 503 }));
    await expect(ep.act(opening)).rejects.toThrow(/failed after 2 attempt\(s\)/);
  });
});
