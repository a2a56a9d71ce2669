import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkOptions } from '../src/serve/options.ts';
import { DEFAULTS } from '../src/serve/options.ts';
import type { RunningServer } from '../src/serve/server.ts';
import { http, startRetail } from './support/serve-env.ts';

const TOKEN = 'errors-test-token-abcdef';
let server: RunningServer;
let session: string;

beforeAll(async () => {
  server = await startRetail({ token: TOKEN, maxSessions: 3, maxBodyBytes: 4096 });
});
afterAll(async () => {
  await server?.close();
});

function errorCode(r: { json: unknown }): string | undefined {
  return (r.json as { error?: { code?: string } } | undefined)?.error?.code;
}

/** After every refusal the server must still answer a real call. */
async function stillServing(): Promise<void> {
  const r = await http(`${server.url}/v1/sessions/${session}/calls`, {
    token: TOKEN,
    body: '{"name":"find_user_id_by_name_zip","arguments":{"first_name":"Yusuf","last_name":"Rossi","zip":"19122"}}',
  });
  expect(r.status).toBe(200);
  expect(r.json).toEqual({ observation: 'yusuf_rossi_9620' });
}

describe('precise 4xx answers; the server serves on afterwards', () => {
  beforeAll(async () => {
    const r = await http(`${server.url}/v1/sessions`, { token: TOKEN, body: '{}' });
    session = (r.json as { session_id: string }).session_id;
  });

  it('401 for a missing or wrong token (REST and MCP), 400 for a non-bearer header', async () => {
    const missing = await http(`${server.url}/v1/sessions`, { body: '{}' });
    expect(missing.status).toBe(401);
    expect(errorCode(missing)).toBe('unauthorized');
    const wrong = await http(`${server.url}/v1/sessions/${session}/tools`, { token: 'not-the-token' });
    expect(wrong.status).toBe(401);
    const basic = await http(`${server.url}/v1/sessions/${session}/tools`, { headers: { Authorization: 'Basic abc' } });
    expect(basic.status).toBe(400);
    const mcp = await http(`${server.url}/mcp`, { body: '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}', token: 'wrong' });
    expect(mcp.status).toBe(401);
    // Health and the OpenAPI document are open: they reveal no world.
    expect((await http(`${server.url}/v1/health`)).status).toBe(200);
    expect((await http(`${server.url}/v1/openapi.json`)).status).toBe(200);
    await stillServing();
  });

  it('403 for a browser request from a foreign origin (DNS rebinding); loopback origins pass', async () => {
    const evil = await http(`${server.url}/mcp`, { token: TOKEN, headers: { Origin: 'http://evil.example' }, body: '{}' });
    expect(evil.status).toBe(403);
    expect(errorCode(evil)).toBe('forbidden_origin');
    const local = await http(`${server.url}/v1/sessions/${session}`, { token: TOKEN, headers: { Origin: 'http://localhost:3000' } });
    expect(local.status).toBe(200);
    await stillServing();
  });

  it('404 for an unknown session (REST and MCP) and for an unknown tool schema', async () => {
    const r = await http(`${server.url}/v1/sessions/nope/calls`, { token: TOKEN, body: '{"name":"think","arguments":{"thought":"x"}}' });
    expect(r.status).toBe(404);
    expect(errorCode(r)).toBe('unknown_session');
    const mcp = await http(`${server.url}/mcp`, {
      token: TOKEN,
      headers: { 'mcp-session-id': 'nope', Accept: 'application/json, text/event-stream' },
      body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
    });
    expect(mcp.status).toBe(404);
    const tool = await http(`${server.url}/v1/sessions/${session}/tools/no_such_tool`, { token: TOKEN });
    expect(tool.status).toBe(404);
    expect(errorCode(tool)).toBe('unknown_tool');
    expect((await http(`${server.url}/v1/nothing-here`, { token: TOKEN })).status).toBe(404);
    await stillServing();
  });

  it("answers an unknown tool in a call with τ-bench's observation, not a 4xx", async () => {
    const r = await http(`${server.url}/v1/sessions/${session}/calls`, { token: TOKEN, body: '{"name":"no_such_tool","arguments":{}}' });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ observation: 'Unknown action no_such_tool' });
  });

  it('400 for malformed JSON, a body of the wrong shape, and bad session specs', async () => {
    const bad = await http(`${server.url}/v1/sessions/${session}/calls`, { token: TOKEN, body: '{"name": "think", ' });
    expect(bad.status).toBe(400);
    expect(errorCode(bad)).toBe('malformed_json');
    const shape = await http(`${server.url}/v1/sessions/${session}/calls`, { token: TOKEN, body: '{"tool":"think"}' });
    expect(shape.status).toBe(400);
    expect(errorCode(shape)).toBe('invalid_request');
    const args = await http(`${server.url}/v1/sessions/${session}/calls`, { token: TOKEN, body: '{"name":"think","arguments":"[1]"}' });
    expect(args.status).toBe(400);
    const split = await http(`${server.url}/v1/sessions`, { token: TOKEN, body: '{"split":"nosuch","task":0}' });
    expect(split.status).toBe(404);
    expect(errorCode(split)).toBe('unknown_split');
    const task = await http(`${server.url}/v1/sessions`, { token: TOKEN, body: '{"split":"test","task":100000}' });
    expect(task.status).toBe(404);
    expect(errorCode(task)).toBe('unknown_task');
    const mcpBad = await http(`${server.url}/mcp`, { token: TOKEN, body: '{not json' });
    expect(mcpBad.status).toBe(400);
    await stillServing();
  });

  it('413 for a body over the limit (REST and MCP)', async () => {
    const big = JSON.stringify({ name: 'think', arguments: { thought: 'x'.repeat(10_000) } });
    const r = await http(`${server.url}/v1/sessions/${session}/calls`, { token: TOKEN, body: big });
    expect(r.status).toBe(413);
    expect(errorCode(r)).toBe('body_too_large');
    const mcp = await http(`${server.url}/mcp`, { token: TOKEN, body: big });
    expect(mcp.status).toBe(413);
    await stillServing();
  });

  it('409 when verifying a session without a task; 429 past the session limit', async () => {
    const v = await http(`${server.url}/v1/sessions/${session}/verify`, { token: TOKEN, body: '{"agent_messages":[]}' });
    expect(v.status).toBe(409);
    expect(errorCode(v)).toBe('no_task');
    const extra: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await http(`${server.url}/v1/sessions`, { token: TOKEN, body: '{}' });
      expect(r.status).toBe(201);
      extra.push((r.json as { session_id: string }).session_id);
    }
    const full = await http(`${server.url}/v1/sessions`, { token: TOKEN, body: '{}' });
    expect(full.status).toBe(429);
    expect(errorCode(full)).toBe('too_many_sessions');
    for (const id of extra) expect((await http(`${server.url}/v1/sessions/${id}`, { method: 'DELETE', token: TOKEN })).status).toBe(204);
    expect((await http(`${server.url}/v1/sessions/${extra[0]}`, { method: 'DELETE', token: TOKEN })).status).toBe(404);
    await stillServing();
  });
});

describe('startup checks', () => {
  it('refuses to bind beyond loopback without a token, and accepts loopback without one', () => {
    const base = { ...DEFAULTS, data: '.' };
    expect(() => checkOptions({ ...base, host: '0.0.0.0' })).toThrow(/without --token/);
    expect(() => checkOptions({ ...base, host: '0.0.0.0', token: 'short' })).toThrow(/at least 16/);
    expect(() => checkOptions({ ...base, host: '0.0.0.0', token: 'a-long-enough-token-123' })).not.toThrow();
    expect(() => checkOptions({ ...base, host: '127.0.0.1' })).not.toThrow();
    expect(() => checkOptions({ ...base, host: '::1' })).not.toThrow();
    expect(() => checkOptions({ ...base, token: 'has space' })).toThrow(/bearer token/);
  });
});
