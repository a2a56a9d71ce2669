import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { ChatClient } from '../src/llm/client.ts';
import { LlmUser } from '../src/users/llm-user.ts';
import { AGENT_GREETING } from '../src/users/prompts.ts';
import { STOP_TOKEN } from '../src/users/user.ts';
import { text, withLlmServer } from './support/llm-server.ts';

const task: Task = { id: 'test/0', domain: 'retail', split: 'test', index: 0, userId: 'u1', instruction: 'You are Ann. Cancel order #W1 because you no longer need it.', actions: [], outputs: [] };
const client = (baseUrl: string): ChatClient => new ChatClient({ model: 'user-model', baseUrl, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, timeoutMs: 5_000 });

describe('llm user', () => {
  it('inverts roles: agent text is sent as user, its own replies as assistant, opening from the greeting', async () => {
    await withLlmServer([text('Hi, I want to cancel an order.'), text('It is #W1.'), text(STOP_TOKEN)], async (srv) => {
      const ep = new LlmUser(client(srv.baseUrl)).start({ task, seed: 1, trial: 2 });
      const a = await ep.first();
      expect(a).toMatchObject({ content: 'Hi, I want to cancel an order.', stop: false });
      expect(a.usage).toEqual({ promptTokens: 10, completionTokens: 5, costUsd: null });
      const b = await ep.reply('Sure, which order?');
      expect(b).toMatchObject({ content: 'It is #W1.', stop: false });
      const c = await ep.reply('Done, it is cancelled.');
      expect(c.stop).toBe(true);

      const bodies = srv.bodies;
      expect(bodies).toHaveLength(3);
      const first = bodies[0]!.messages as { role: string; content: string }[];
      expect(first).toHaveLength(2);
      expect(first[0]!.role).toBe('system');
      expect(first[0]!.content).toContain(task.instruction);
      expect(first[0]!.content).toContain(STOP_TOKEN);
      expect(first[1]).toEqual({ role: 'user', content: AGENT_GREETING });
      const third = bodies[2]!.messages as { role: string; content: string }[];
      expect(third.slice(1)).toEqual([
        { role: 'user', content: AGENT_GREETING },
        { role: 'assistant', content: 'Hi, I want to cancel an order.' },
        { role: 'user', content: 'Sure, which order?' },
        { role: 'assistant', content: 'It is #W1.' },
        { role: 'user', content: 'Done, it is cancelled.' },
      ]);
      expect(bodies.every((b) => b.model === 'user-model')).toBe(true);
      expect(ep.stats?.()).toEqual({ model_calls: 3 });
    });
  });

  it('sets stop iff the reply contains ###STOP###, also inside other text', async () => {
    await withLlmServer([text('Thanks, that is all. ###STOP###'), text('I will stop soon, not yet.')], async (srv) => {
      const ep = new LlmUser(client(srv.baseUrl)).start({ task, seed: 1, trial: 0 });
      expect((await ep.first()).stop).toBe(true);
      const r = await ep.reply('Anything else?');
      expect(r.stop).toBe(false);
    });
  });

  it('passes the trial index to the cache: trials stay separate samples, a repeat replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tarl-users-cache-'));
    try {
      await withLlmServer([text('trial zero'), text('trial one')], async (srv) => {
        const cached = (): ChatClient => new ChatClient({ model: 'user-model', baseUrl: srv.baseUrl, cacheDir: dir, retry: { maxAttempts: 1 } });
        const t0 = await new LlmUser(cached()).start({ task, seed: 1, trial: 0 }).first();
        const t1 = await new LlmUser(cached()).start({ task, seed: 1, trial: 1 }).first();
        const again = await new LlmUser(cached()).start({ task, seed: 1, trial: 0 }).first();
        expect([t0.content, t1.content, again.content]).toEqual(['trial zero', 'trial one', 'trial zero']);
        expect(srv.bodies).toHaveLength(2);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails loudly (no invented reply) when the endpoint keeps failing', async () => {
    await withLlmServer([], async (srv) => {
      const ep = new LlmUser(client(srv.baseUrl)).start({ task, seed: 1, trial: 0 });
      await expect(ep.first()).rejects.toThrow(/script exhausted/);
    });
  });
});
