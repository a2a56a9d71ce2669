import { writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../src/llm/client.ts';
import { readTree, tempDir } from './support/files.ts';
import { ScriptedLlmServer, text } from './support/llm-server.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function fixture(): Promise<{ srv: ScriptedLlmServer; dir: string; client: () => ChatClient }> {
  // Each request gets a distinct answer, so a replay is distinguishable from a new sample.
  const srv = await ScriptedLlmServer.start((_req, i) => text(`sample ${i}`));
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup, () => srv.close());
  const client = (): ChatClient =>
    new ChatClient({ model: 'm', baseUrl: srv.baseUrl, cacheDir: dir, sampling: { temperature: 0.7 }, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
  return { srv, dir, client };
}

const messages = [{ role: 'user' as const, content: 'roll a die' }];

describe('response cache', () => {
  it('keeps two trials at temperature 0.7 apart and replays both without new requests', async () => {
    const { srv, dir, client } = await fixture();
    const first = client();
    const t0 = await first.chat({ messages }, { trial: 0 });
    const t1 = await first.chat({ messages }, { trial: 1 });
    expect([t0.message.content, t1.message.content]).toEqual(['sample 0', 'sample 1']);
    expect(srv.requests).toHaveLength(2);
    expect(await readTree(dir)).toHaveLength(2);

    const rerun = client();
    const r0 = await rerun.chat({ messages }, { trial: 0 });
    const r1 = await rerun.chat({ messages }, { trial: 1 });
    expect(srv.requests).toHaveLength(2);
    expect([r0.message.content, r1.message.content]).toEqual(['sample 0', 'sample 1']);
    expect(r0.cached && r1.cached).toBe(true);
    expect(r0.attempts).toBe(0);
    expect(r0.usage).toEqual(t0.usage);
  });

  it('keeps scopes (e.g. tasks) apart even when their requests are identical', async () => {
    const { srv, client } = await fixture();
    const c = client();
    const a = await c.chat({ messages }, { trial: 0, scope: 'test/1' });
    const b = await c.chat({ messages }, { trial: 0, scope: 'test/2' });
    expect([a.message.content, b.message.content]).toEqual(['sample 0', 'sample 1']);
    expect((await c.chat({ messages }, { trial: 0, scope: 'test/2' })).message.content).toBe('sample 1');
    expect(srv.requests).toHaveLength(2);
  });

  it('misses on any change to the request', async () => {
    const { srv, client } = await fixture();
    const c = client();
    await c.chat({ messages }, { trial: 0 });
    await c.chat({ messages, sampling: { temperature: 0.2 } }, { trial: 0 });
    await c.chat({ messages: [...messages, { role: 'assistant', content: 'ok' }] }, { trial: 0 });
    expect(srv.requests).toHaveLength(3);
  });

  it('ignores a corrupt entry and overwrites it', async () => {
    const { srv, dir, client } = await fixture();
    await client().chat({ messages }, { trial: 0 });
    const [entry] = await readTree(dir);
    await writeFile(entry!.path, '{"version": 1, "key": "trunc');
    const again = await client().chat({ messages }, { trial: 0 });
    expect(again.cached).toBe(false);
    expect(again.message.content).toBe('sample 1');
    expect(srv.requests).toHaveLength(2);
    const replay = await client().chat({ messages }, { trial: 0 });
    expect(replay.cached).toBe(true);
    expect(replay.message.content).toBe('sample 1');
    expect(srv.requests).toHaveLength(2);
  });

  it('leaves no temporary files behind', async () => {
    const { dir, client } = await fixture();
    const c = client();
    await Promise.all([0, 1, 2, 3].map((trial) => c.chat({ messages }, { trial })));
    const files = await readTree(dir);
    expect(files).toHaveLength(4);
    expect(files.every((f) => f.path.endsWith('.json'))).toBe(true);
  });
});
