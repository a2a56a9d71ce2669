/**
 * `tarl serve` on τ²-bench worlds: REST sessions with agent and user tools on their own
 * routes, τ²'s reward from a session's calls, the gym step API, and MCP for both sides of
 * one world (`/mcp` agent tools, `/mcp/user` user tools).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goldSchedule } from '../src/episode/tau2-schedule.ts';
import { dumps } from '../src/py/dumps.ts';
import { DEFAULTS } from '../src/serve/options.ts';
import { loadTau2Served, startTau2Server, type RunningTau2Server } from '../src/serve/tau2-server.ts';
import { tau2benchDir } from './support/tau2bench.ts';

const dir = tau2benchDir();
const domains = loadTau2Served(dir, 'telecom');
const base = domains[0]!.splits.get('base')!;
let server: RunningTau2Server;

beforeAll(async () => {
  server = await startTau2Server({ ...DEFAULTS, data: dir, domain: 'telecom' }, domains);
});
afterAll(async () => {
  await server?.close();
});

async function post(path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const r = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { status: r.status, json: (await r.json()) as Record<string, unknown> };
}

describe('τ² worlds over REST', () => {
  it('runs a telecom task’s gold actions through the agent and user routes and scores 1', async () => {
    const task = base[0]!;
    const created = await post('/v1/sessions', { domain: 'telecom', split: 'base', task_id: task.id });
    expect(created.status).toBe(201);
    const id = created.json.session_id as string;
    expect((created.json.user_tools as unknown[]).length).toBe(30);
    for (const a of task.criteria!.actions!) {
      const route = a.requestor === 'user' ? 'user-tools' : 'tools';
      const r = await post(`/v1/sessions/${id}/${route}/${a.name}`, `{"arguments": ${dumps(a.arguments)}}`);
      expect(r.status).toBe(200);
      expect(r.json.error).toBe(false);
    }
    // A user tool is not the agent's: on the agent route it is an unknown tool, as in τ².
    const wrong = await post(`/v1/sessions/${id}/tools/toggle_airplane_mode`, {});
    expect(wrong.json).toEqual({ observation: "Error: Tool 'toggle_airplane_mode' not found.", error: true });
    const evaluated = await post(`/v1/sessions/${id}/evaluate`, { agent_messages: ['All fixed. ###STOP###'] });
    expect(evaluated.json.reward).toBe(1);
  });

  it('steps a gym episode with the scripted user to reward 1 at the end (0 before)', async () => {
    const task = base[1]!;
    const reset = await post('/v1/gym/reset', { domain: 'telecom', split: 'base', task_id: task.id, user: 'scripted' });
    expect(reset.status).toBe(201);
    const env = reset.json.env_id as string;
    const obs = reset.json.observation as { messages: { role: string; content: string }[] };
    expect(obs.messages[0]!.role).toBe('user');
    const schedule = goldSchedule(task);
    let last: Record<string, unknown> = {};
    for (let k = 0; k < schedule.agentTurns.length; k++) {
      for (const a of schedule.agentTurns[k]!) {
        last = (await post(`/v1/gym/${env}/step`, `{"action": {"type": "tool", "name": "${a.name}", "arguments": ${dumps(a.arguments)}}}`)).json;
        expect(last.reward).toBe(0);
        expect(last.terminated).toBe(false);
      }
      const lastTurn = k + 1 >= schedule.userTurns.length;
      last = (await post(`/v1/gym/${env}/step`, { action: { type: 'message', content: lastTurn ? 'Done. ###STOP###' : 'Please go ahead.' } })).json;
    }
    expect(last.terminated).toBe(true);
    expect(last.reward).toBe(1);
    expect((last.info as { termination: string }).termination).toBe('agent_stop');
  });
});

describe('τ² worlds over MCP', () => {
  it('serves the agent tools on /mcp and the user tools of the same world on /mcp/user', async () => {
    const agentT = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp?domain=telecom&split=base&task=0`));
    const agent = new Client({ name: 'tarl-test-agent', version: '0.0.0' });
    await agent.connect(agentT);
    const session = agentT.sessionId!;
    const userT = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp/user?session=${session}`));
    const user = new Client({ name: 'tarl-test-user', version: '0.0.0' });
    await user.connect(userT);
    const agentTools = (await agent.listTools()).tools.map((t) => t.name);
    const userTools = (await user.listTools()).tools.map((t) => t.name);
    expect(agentTools).toContain('get_customer_by_phone');
    expect(userTools).toContain('toggle_airplane_mode');
    expect(agentTools).not.toContain('toggle_airplane_mode');
    const bar = (await user.callTool({ name: 'check_status_bar', arguments: {} })) as CallToolResult;
    expect(bar.content[0]!.type === 'text' && bar.content[0]!.text).toMatch(/^Status Bar: /);
    const customer = (await agent.callTool({ name: 'get_customer_by_phone', arguments: { phone_number: '555-123-2002' } })) as CallToolResult;
    expect(customer.content[0]!.type === 'text' && customer.content[0]!.text).toContain('"customer_id": "C1001"');
    // Both sides' calls landed in one world.
    const view = (await (await fetch(`${server.url}/v1/sessions/${session}`)).json()) as { calls: number };
    expect(view.calls).toBe(2);
    await user.close();
    await agent.close();
  });
});
