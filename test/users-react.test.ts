import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { ChatClient } from '../src/llm/client.ts';
import { parseReactReply } from '../src/users/react-parse.ts';
import { REACT_FALLBACK, ReactUser } from '../src/users/react-user.ts';
import { STOP_TOKEN } from '../src/users/user.ts';
import { text, withLlmServer } from './support/llm-server.ts';

const task: Task = { id: 'test/1', domain: 'retail', split: 'test', index: 1, userId: 'u1', instruction: 'You are Bo. Return the lamp from order #W2.', actions: [], outputs: [] };
const client = (baseUrl: string): ChatClient => new ChatClient({ model: 'react-model', baseUrl, retry: { maxAttempts: 1 }, timeoutMs: 5_000 });
const SECRET = 'SECRET-THOUGHT';

/** Hostile replies: each carries SECRET in its thought and must give exactly `response`. */
const hostile: { name: string; raw: string; response: string }[] = [
  { name: 'well formed', raw: `Thought:\nI am ${SECRET}.\n\nUser Response:\nI want to return a lamp.`, response: 'I want to return a lamp.' },
  { name: 'thought mentions the marker mid-line', raw: `Thought: my User Response: should hide ${SECRET}\nUser Response: Hello there.`, response: 'Hello there.' },
  { name: 'thought drafts a marker line, the real one comes last', raw: `Thought:\nUser Response: draft with ${SECRET}\nno, better:\nUser Response:\nHi, a return please.`, response: 'Hi, a return please.' },
  { name: 'thought after the response', raw: `User Response: Order #W2.\nThought: ${SECRET} keep quiet about the rest`, response: 'Order #W2.' },
  { name: 'markdown markers and preamble', raw: `Sure! Here is my answer.\n**Thought:** ${SECRET}\n**User Response:** Can you check my order?`, response: 'Can you check my order?' },
  { name: 'think tags', raw: `<think>${SECRET}</think>\nThought: fine\nUser Response: Yes, please.`, response: 'Yes, please.' },
  { name: 'orphan closing think tag', raw: `${SECRET}</think>User Response: Okay.`, response: 'Okay.' },
  { name: 'lowercase marker', raw: `thought: ${SECRET}\nuser response: lamp, please`, response: 'lamp, please' },
];

describe('ReAct reply parser', () => {
  for (const h of hostile) {
    it(`keeps the thought out: ${h.name}`, () => {
      const p = parseReactReply(h.raw);
      expect(p.ok).toBe(true);
      if (!p.ok) return;
      expect(p.response).toBe(h.response);
      expect(p.response).not.toContain(SECRET);
    });
  }

  it('records the thought without the markers', () => {
    const p = parseReactReply(`Thought:\nI am ${SECRET}.\n\nUser Response:\nHi`);
    expect(p).toEqual({ ok: true, thought: `I am ${SECRET}.`, response: 'Hi' });
  });

  it.each([
    ['no markers at all', `${SECRET} I want to return a lamp.`],
    ['only a thought', `Thought: ${SECRET} and User Response: would be next`],
    ['empty response', `Thought: ${SECRET}\nUser Response:   \n`],
    ['unclosed think block hides the marker', `<think>${SECRET}\nUser Response: leaked?`],
  ])('fails on %s', (_name, raw) => {
    expect(parseReactReply(raw).ok).toBe(false);
  });
});

describe('react user', () => {
  it('sends only the response; the thought goes to hidden and into its own history', async () => {
    await withLlmServer([text(`Thought: ${SECRET}\nUser Response: I need to return a lamp.`), text(`Thought: done ${SECRET}\nUser Response: ${STOP_TOKEN}`)], async (srv) => {
      const ep = new ReactUser(client(srv.baseUrl)).start({ task, seed: 0, trial: 0 });
      const a = await ep.first();
      expect(a).toMatchObject({ content: 'I need to return a lamp.', stop: false, hidden: SECRET });
      const b = await ep.reply('Return processed.');
      expect(b.content).toBe(STOP_TOKEN);
      expect(b.stop).toBe(true);
      const second = srv.bodies[1]!.messages as { role: string; content: string }[];
      expect(second[0]!.content).toContain('User Response:');
      expect(second.slice(2)).toEqual([
        { role: 'assistant', content: `Thought:\n${SECRET}\n\nUser Response:\nI need to return a lamp.` },
        { role: 'user', content: 'Return processed.' },
      ]);
    });
  });

  it('does not stop when only the thought mentions ###STOP###', async () => {
    await withLlmServer([text(`Thought: not ${STOP_TOKEN} yet\nUser Response: One more thing.`)], async (srv) => {
      const r = await new ReactUser(client(srv.baseUrl)).start({ task, seed: 0, trial: 0 }).first();
      expect(r).toMatchObject({ content: 'One more thing.', stop: false });
    });
  });

  it('retries a broken reply with a one-request reminder, then uses the good one', async () => {
    await withLlmServer([text(`${SECRET} no format here`), text(`Thought: ok\nUser Response: Hi, a return please.`)], async (srv) => {
      const ep = new ReactUser(client(srv.baseUrl)).start({ task, seed: 0, trial: 0 });
      const r = await ep.first();
      expect(r.content).toBe('Hi, a return please.');
      expect(r.hidden).toContain('1 unparseable attempt');
      expect(r.usage?.promptTokens).toBe(20);
      const retry = srv.bodies[1]!.messages as { role: string; content: string }[];
      expect(retry.at(-2)).toEqual({ role: 'assistant', content: `${SECRET} no format here` });
      expect(retry.at(-1)!.content).toMatch(/not from the agent.*attempt 2 of 3/);
      expect(ep.stats?.()).toMatchObject({ react_parse_failures: 1, model_calls: 2 });
    });
  });

  it('after bounded retries sends the fixed fallback, never the raw text', async () => {
    const broken = text(`I think ${SECRET}; my answer: return the lamp`);
    await withLlmServer([broken, broken, broken, broken], async (srv) => {
      const ep = new ReactUser(client(srv.baseUrl), 2).start({ task, seed: 0, trial: 0 });
      const r = await ep.first();
      expect(r).toMatchObject({ content: REACT_FALLBACK, stop: false });
      expect(r.hidden).toMatch(/no parseable ReAct reply in 3 attempt/);
      expect(srv.bodies).toHaveLength(3);
      expect(ep.stats?.()).toMatchObject({ react_parse_failures: 3, react_fallbacks: 1 });
      // The broken text stays out of the user's own history too.
      await ep.reply('Sorry, what?').catch(() => undefined);
      const next = srv.bodies[3]!.messages as { role: string; content: string }[];
      expect(next.slice(2)).toEqual([
        { role: 'assistant', content: REACT_FALLBACK },
        { role: 'user', content: 'Sorry, what?' },
      ]);
    });
  });

  it('rejects a negative retry budget', () => {
    expect(() => new ReactUser(new ChatClient({ model: 'm', baseUrl: 'http://127.0.0.1:1/v1' }), -1)).toThrow(RangeError);
  });
});
