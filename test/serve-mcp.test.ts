import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/serve/server.ts';
import { VERIFY_TOOL } from '../src/serve/mcp-server.ts';
import { goldenReplay, http, retailDomains, startRetail } from './support/serve-env.ts';

const TOKEN = 'mcp-test-token-0123456789';
let server: RunningServer;

beforeAll(async () => {
  server = await startRetail({ token: TOKEN });
});
afterAll(async () => {
  await server?.close();
});

async function connect(query: string): Promise<{ client: Client; transport: StreamableHTTPClientTransport }> {
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp?${query}`), {
    requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } },
  });
  const client = new Client({ name: 'tarl-test', version: '0.0.0' });
  await client.connect(transport);
  return { client, transport };
}

function text(r: unknown): string {
  const content = (r as CallToolResult).content;
  return content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

describe('MCP over Streamable HTTP (official TypeScript client)', () => {
  it('replays every retail test task: observations equal the golden ones and verify gives 1', async () => {
    const golden = goldenReplay('retail', 'test');
    const tasks = retailDomains()[0]!.splits.get('test')!;
    expect(golden.length).toBe(tasks.length);
    let steps = 0;
    for (const [index, line] of golden.entries()) {
      const { client, transport } = await connect(`split=test&task=${index}&verify=1`);
      for (const step of line.steps) {
        const result = await client.callTool({ name: step.name, arguments: step.kwargs });
        expect.soft(text(result), `task ${index} step ${step.name}`).toBe(step.observation);
        steps++;
      }
      const verdict = await client.callTool({ name: VERIFY_TOOL, arguments: { agent_messages: tasks[index]!.outputs } });
      expect.soft(JSON.parse(text(verdict)), `task ${index} verdict`).toMatchObject({ reward: 1, db_match: true });
      // The MCP session id is the REST session id: the same world is visible over both.
      const changes = await http(`${server.url}/v1/sessions/${transport.sessionId}/changes`, { token: TOKEN });
      expect.soft((changes.json as { state_hash: string }).state_hash, `task ${index} hash`).toBe(line.stateHash);
      await transport.terminateSession();
      await client.close();
    }
    expect(steps).toBe(582);
    expect(server.store.size).toBe(0);
  });

  it('hides the verification tool unless opted in, and then answers it as an unknown action', async () => {
    const { client, transport } = await connect('split=test&task=0');
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).not.toContain(VERIFY_TOOL);
    expect(names).toEqual(retailDomains()[0]!.domain.tools.map((t) => t.name));
    const r = await client.callTool({ name: VERIFY_TOOL, arguments: { agent_messages: [] } });
    expect(text(r)).toBe(`Unknown action ${VERIFY_TOOL}`);
    await transport.terminateSession();
    await client.close();

    const opted = await connect('split=test&task=0&verify=1');
    expect((await opted.client.listTools()).tools.map((t) => t.name)).toContain(VERIFY_TOOL);
    await opted.transport.terminateSession();
    await opted.client.close();
  });

  it('passes arguments through unvalidated, as τ-bench does (errors are observations, not MCP errors)', async () => {
    const { client, transport } = await connect('');
    const r = (await client.callTool({ name: 'get_user_details', arguments: { user_id: 'nobody', extra: 1 } })) as CallToolResult;
    expect(r.isError ?? false).toBe(false);
    expect(text(r)).toBe("Error: GetUserDetails.invoke() got an unexpected keyword argument 'extra'");
    expect(text(await client.callTool({ name: 'no_such_tool', arguments: {} }))).toBe('Unknown action no_such_tool');
    await transport.terminateSession();
    await client.close();
  });

  it('keeps a float argument a float (lossless arguments, like json.loads)', async () => {
    // The official client re-serialises with JSON.stringify (100.0 → 100), so speak raw JSON-RPC;
    // Python's error text names the argument's type, which shows whether the float survived.
    const init = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } },
      }),
      signal: AbortSignal.timeout(10_000),
    });
    const sid = init.headers.get('mcp-session-id')!;
    const headers = {
      Authorization: `Bearer ${TOKEN}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'mcp-session-id': sid,
      'mcp-protocol-version': '2025-06-18',
    };
    await fetch(`${server.url}/mcp`, { method: 'POST', headers, body: '{"jsonrpc":"2.0","method":"notifications/initialized"}', signal: AbortSignal.timeout(10_000) });
    const call = await fetch(`${server.url}/mcp`, {
      method: 'POST',
      headers,
      body: '{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"find_user_id_by_email","arguments":{"email":100.0}}}',
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await call.json()) as { result: CallToolResult };
    const viaRest = await http(`${server.url}/v1/sessions/${sid}/calls`, {
      token: TOKEN,
      body: '{"name":"find_user_id_by_email","arguments":{"email":100.0}}',
    });
    const observation = (viaRest.json as { observation: string }).observation;
    expect(observation).toContain("'float'");
    expect(text(body.result)).toBe(observation);
  });
});
