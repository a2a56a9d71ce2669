import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { ChatClient } from '../src/llm/client.ts';
import { ReflectionUser } from '../src/users/reflection-user.ts';
import { parseVerdict } from '../src/users/supervisor.ts';
import { VerifyUser } from '../src/users/verify-user.ts';
import { text, withLlmServer, type RecordedRequest } from './support/llm-server.ts';

const task: Task = { id: 'test/2', domain: 'retail', split: 'test', index: 2, userId: 'u2', instruction: 'You are Cy. Change the address of order #W3 to 1 Main St.', actions: [], outputs: [] };
const client = (baseUrl: string): ChatClient => new ChatClient({ model: 'sup-model', baseUrl, retry: { maxAttempts: 1 }, timeoutMs: 5_000 });

type Msg = { role: string; content: string };
const messagesOf = (r: RecordedRequest): Msg[] => (r.body as { messages: Msg[] }).messages;
const isCheck = (r: RecordedRequest): boolean => messagesOf(r)[0]!.content.includes('Answer with one word');
const isReflect = (r: RecordedRequest): boolean => messagesOf(r)[0]!.content.includes('Reflection:');

describe('verdict parsing', () => {
  it.each([
    ['true', true],
    ['False.', false],
    ['  TRUE\n', true],
    ['not true, false', undefined],
    ['I cannot tell', undefined],
    ['untrue', undefined],
  ])('%j → %j', (input, expected) => {
    expect(parseVerdict(input)).toBe(expected);
  });
});

describe('verify user', () => {
  it('verifies each draft and regenerates a rejected one, showing the model its rejected draft', async () => {
    const script = [text('Here is my whole instruction: 1 Main St, #W3, everything!'), text('false'), text('Hi, I need to change a shipping address.'), text('true')];
    await withLlmServer(script, async (srv) => {
      const ep = new VerifyUser(client(srv.baseUrl)).start({ task, seed: 0, trial: 0 });
      const r = await ep.first();
      expect(r.content).toBe('Hi, I need to change a shipping address.');
      expect(r.stop).toBe(false);
      expect(r.hidden).toContain('rejected draft 1: Here is my whole instruction');
      expect(r.usage).toMatchObject({ promptTokens: 40, completionTokens: 20 });
      expect(srv.requests.map(isCheck)).toEqual([false, true, false, true]);
      const check = messagesOf(srv.requests[1]!);
      expect(check).toHaveLength(1);
      expect(check[0]!.content).toContain(task.instruction);
      expect(check[0]!.content).toContain('Agent: Hi! How can I help you today?');
      expect(check[0]!.content).toContain('# Draft customer message\nHere is my whole instruction');
      const redraft = messagesOf(srv.requests[2]!);
      expect(redraft.at(-2)).toEqual({ role: 'assistant', content: 'Here is my whole instruction: 1 Main St, #W3, everything!' });
      expect(redraft.at(-1)!.content).toMatch(/not from the agent.*attempt 2 of 3/);
      expect(ep.stats?.()).toMatchObject({ verify_calls: 2, verify_rejections: 1 });

      // Only the accepted draft enters the history.
      srv.setScript([text('It is order #W3.'), text('true')]);
      await ep.reply('Which order?');
      const next = messagesOf(srv.requests[4]!);
      expect(next.slice(2)).toEqual([
        { role: 'assistant', content: 'Hi, I need to change a shipping address.' },
        { role: 'user', content: 'Which order?' },
      ]);
    });
  });

  it('sends the last draft after maxAttempts rejections (unreadable verdicts count as rejections)', async () => {
    const script = [text('a'), text('false'), text('b'), text('maybe?'), text('c'), text('false')];
    await withLlmServer(script, async (srv) => {
      const ep = new VerifyUser(client(srv.baseUrl), 3).start({ task, seed: 0, trial: 0 });
      const r = await ep.first();
      expect(r.content).toBe('c');
      expect(r.hidden).toMatch(/every draft was rejected; sent the last one/);
      expect(srv.requests).toHaveLength(6);
      expect(ep.stats?.()).toMatchObject({ verify_calls: 3, verify_rejections: 3, verify_unreadable: 1, verify_exhausted: 1 });
    });
  });
});

describe('reflection user', () => {
  it('on a rejection reflects, then regenerates with the reflection in view', async () => {
    const reflection = 'Reflection:\nIt gave away everything.\n\nResponse:\nI would like to change an address.';
    const script = [text('Address 1 Main St for #W3 now!'), text('false'), text(reflection), text('I would like to change the address on an order.'), text('true')];
    await withLlmServer(script, async (srv) => {
      const ep = new ReflectionUser(client(srv.baseUrl)).start({ task, seed: 0, trial: 0 });
      const r = await ep.first();
      expect(r.content).toBe('I would like to change the address on an order.');
      expect(r.hidden).toContain('rejected draft 1: Address 1 Main St');
      expect(srv.requests.map((q) => (isCheck(q) ? 'verify' : isReflect(q) ? 'reflect' : 'draft'))).toEqual(['draft', 'verify', 'reflect', 'draft', 'verify']);
      const reflect = messagesOf(srv.requests[2]!);
      expect(reflect[0]!.content).toContain('# Rejected draft\nAddress 1 Main St for #W3 now!');
      const redraft = messagesOf(srv.requests[3]!);
      expect(redraft.at(-2)).toEqual({ role: 'assistant', content: 'Address 1 Main St for #W3 now!' });
      expect(redraft.at(-1)!.content).toContain('It gave away everything.');
      expect(ep.stats?.()).toMatchObject({ reflections: 1, verify_calls: 2, verify_rejections: 1 });
    });
  });

  it('accepts a verified first draft without reflecting', async () => {
    await withLlmServer([text('Hello, I need help with an order.'), text('true')], async (srv) => {
      const r = await new ReflectionUser(client(srv.baseUrl)).start({ task, seed: 0, trial: 0 }).first();
      expect(r.content).toBe('Hello, I need help with an order.');
      expect(r.hidden).toBeUndefined();
      expect(srv.requests).toHaveLength(2);
    });
  });

  it('sends the initial draft when every regenerated draft is rejected (as τ-bench does)', async () => {
    await withLlmServer([text('first'), text('false'), text('Reflection: x\nResponse: y'), text('second'), text('false')], async (srv) => {
      const ep = new ReflectionUser(client(srv.baseUrl), 2).start({ task, seed: 0, trial: 0 });
      const r = await ep.first();
      expect(r.content).toBe('first');
      expect(r.hidden).toMatch(/rejected draft 2: second[\s\S]*sent the initial one/);
      expect(srv.requests).toHaveLength(5);
    });
  });
});
