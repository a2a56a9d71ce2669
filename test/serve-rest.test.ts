import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import type { RunningServer } from '../src/serve/server.ts';
import { goldenReplay, http, retailDomains, startRetail } from './support/serve-env.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await startRetail({ maxSessions: 200 });
});
afterAll(async () => {
  await server?.close();
});

async function createSession(body: unknown): Promise<string> {
  const r = await http(`${server.url}/v1/sessions`, { body: JSON.stringify(body) });
  expect(r.status).toBe(201);
  return (r.json as { session_id: string }).session_id;
}

async function call(id: string, name: string, args: unknown): Promise<string> {
  const r = await http(`${server.url}/v1/sessions/${id}/calls`, { body: JSON.stringify({ name, arguments: args }) });
  expect(r.status).toBe(200);
  return (r.json as { observation: string }).observation;
}

describe('REST /v1', () => {
  it('gives the same observations as in-process Sandbox.call and the golden replay, and verify gives 1', async () => {
    const golden = goldenReplay('retail', 'test');
    const domain = retailDomains()[0]!;
    for (const index of [0, 5, 20, 61, 100]) {
      const id = await createSession({ split: 'test', task: index });
      const local = new Sandbox(domain.world(null).template);
      for (const step of golden[index]!.steps) {
        const observation = await call(id, step.name, step.kwargs);
        expect(observation).toBe(local.call(step.name, step.kwargs));
        expect(observation).toBe(step.observation);
      }
      const changes = await http(`${server.url}/v1/sessions/${id}/changes`);
      expect((changes.json as { state_hash: string }).state_hash).toBe(golden[index]!.stateHash);
      expect((changes.json as { state_hash: string }).state_hash).toBe(local.stateHash());
      local.close();
      const task = domain.splits.get('test')![index]!;
      const verdict = await http(`${server.url}/v1/sessions/${id}/verify`, { body: JSON.stringify({ agent_messages: task.outputs }) });
      expect(verdict.json).toMatchObject({ reward: 1, db_match: true, mode: 'taubench' });
      expect((await http(`${server.url}/v1/sessions/${id}`, { method: 'DELETE' })).status).toBe(204);
    }
  });

  it('accepts OpenAI-style string arguments and a seeded task pick that is stable', async () => {
    const id = await createSession({});
    expect(await call(id, 'find_user_id_by_email', '{"email": "nope@example.com"}')).toBe('Error: user not found');
    const a = await http(`${server.url}/v1/sessions`, { body: '{"split":"test","seed":"abc"}' });
    const b = await http(`${server.url}/v1/sessions`, { body: '{"split":"test","seed":"abc"}' });
    expect((a.json as { task: { id: string } }).task.id).toBe((b.json as { task: { id: string } }).task.id);
  });

  it('lists tools as JSON Schema function definitions', async () => {
    const id = await createSession({});
    const r = await http(`${server.url}/v1/sessions/${id}/tools`);
    const tools = (r.json as { tools: { type: string; function: { name: string; parameters: { type: string } } }[] }).tools;
    expect(tools.map((t) => t.function.name)).toEqual(retailDomains()[0]!.domain.tools.map((t) => t.name));
    for (const t of tools) expect(t.function.parameters.type).toBe('object');
  });

  it('isolates 50 concurrent sessions (25 REST, 25 MCP) writing the same record', async () => {
    const user = 'yusuf_rossi_9620';
    interface Conn {
      id: string;
      call: (name: string, args: Record<string, unknown>) => Promise<string>;
      close: () => Promise<void>;
    }
    const rest = async (): Promise<Conn> => {
      const id = await createSession({});
      return { id, call: (n, a) => call(id, n, a), close: async () => void (await http(`${server.url}/v1/sessions/${id}`, { method: 'DELETE' })) };
    };
    const mcp = async (): Promise<Conn> => {
      const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`));
      const client = new Client({ name: 'isolation', version: '0' });
      await client.connect(transport);
      return {
        id: transport.sessionId!,
        call: async (name, args) => {
          const r = (await client.callTool({ name, arguments: args })) as CallToolResult;
          return r.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
        },
        close: async () => {
          await transport.terminateSession();
          await client.close();
        },
      };
    };
    const before = server.store.size;
    const conns = await Promise.all(Array.from({ length: 50 }, (_, i) => (i < 25 ? rest() : mcp())));
    const address = (i: number, round: number): Record<string, string> => ({
      user_id: user,
      address1: `${i} Isolation Ave round ${round}`,
      address2: `Suite ${i}`,
      city: 'Austin',
      state: 'TX',
      country: 'USA',
      zip: String(70000 + i),
    });
    for (const round of [1, 2, 3]) {
      // Every session writes and then reads, all interleaved on the server.
      const seen = await Promise.all(
        conns.map(async (conn, i) => {
          await conn.call('modify_user_address', address(i, round));
          return conn.call('get_user_details', { user_id: user });
        }),
      );
      seen.forEach((observation, i) => {
        expect(observation).toContain(`"${i} Isolation Ave round ${round}"`);
        expect(observation).toContain(`"Suite ${i}"`);
        expect((observation.match(/Isolation Ave/g) ?? []).length).toBe(1);
      });
    }
    const hashes = await Promise.all(
      conns.map(async ({ id }) => {
        const r = await http(`${server.url}/v1/sessions/${id}/changes`);
        const body = r.json as { state_hash: string; changed: Record<string, Record<string, unknown>> };
        expect(Object.keys(body.changed)).toEqual(['users']);
        expect(Object.keys(body.changed.users!)).toEqual([user]);
        return body.state_hash;
      }),
    );
    expect(new Set(hashes).size).toBe(50);
    const fresh = await rest();
    const untouched = await http(`${server.url}/v1/sessions/${fresh.id}/changes`);
    expect(untouched.json).toEqual({ state_hash: retailDomains()[0]!.world(null).template.initialStateHash, changed: {} });
    await Promise.all([...conns, fresh].map((c) => c.close()));
    expect(server.store.size).toBe(before);
  });

  it('publishes an OpenAPI 3.1 document whose references all resolve', async () => {
    const r = await http(`${server.url}/v1/openapi.json`);
    expect(r.status).toBe(200);
    const doc = r.json as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/v1/sessions/{id}/calls');
    const refs = [...r.text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(doc.components.schemas, ref).toHaveProperty(ref);
    expect(doc.components.schemas.CallRequest).toMatchObject({ required: ['name'] });
  });
});
