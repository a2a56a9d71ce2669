import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { http, repoRoot, startRetail, taubenchDir } from './support/serve-env.ts';

/** A POST whose body is sent in two parts; the second part is sent when `release` is called. */
function splitPost(url: string, body: string, chunked = false): { release: () => void; response: Promise<{ status: number; body: string }> } {
  const half = Math.floor(body.length / 2);
  const length = chunked ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
  const req = request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...length } });
  const response = new Promise<{ status: number; body: string }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('no response within 10 s')), 10_000);
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        clearTimeout(timer);
        ok({ status: res.statusCode ?? 0, body: text });
      });
    });
    req.on('error', (e) => {
      clearTimeout(timer);
      fail(e);
    });
  });
  req.write(body.slice(0, half));
  return { release: () => req.end(body.slice(half)), response };
}

async function newSession(url: string): Promise<string> {
  return ((await http(`${url}/v1/sessions`, { body: '{}' })).json as { session_id: string }).session_id;
}

describe('limits and lifecycle', () => {
  it('evicts idle REST and MCP sessions after the TTL', async () => {
    const server = await startRetail({ idleTtlMs: 150 });
    try {
      const id = await newSession(server.url);
      expect((await http(`${server.url}/v1/sessions/${id}`)).status).toBe(200);
      const mcpInit = await fetch(`${server.url}/mcp`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '0' } } }),
        signal: AbortSignal.timeout(10_000),
      });
      const mcpId = mcpInit.headers.get('mcp-session-id')!;
      expect(server.store.has(mcpId)).toBe(true);
      let status = 200;
      for (let i = 0; i < 40 && status === 200; i++) {
        await new Promise((r) => setTimeout(r, 50));
        status = server.store.has(id) || server.store.has(mcpId) ? 200 : 404;
      }
      expect(status).toBe(404);
      const r = await http(`${server.url}/v1/sessions/${id}/tools`);
      expect(r.status).toBe(404);
      expect(server.store.has(mcpId)).toBe(false);
      const mcpAfter = await http(`${server.url}/mcp`, {
        headers: { 'mcp-session-id': mcpId, Accept: 'application/json, text/event-stream' },
        body: '{"jsonrpc":"2.0","id":2,"method":"tools/list"}',
      });
      expect(mcpAfter.status).toBe(404);
      expect(await newSession(server.url)).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      await server.close();
    }
  });

  it('answers 504 when a request overruns its time limit, never applies the late call, and serves on', async () => {
    const server = await startRetail({ requestTimeoutMs: 200 });
    try {
      const id = await newSession(server.url);
      const write = JSON.stringify({
        name: 'modify_user_address',
        arguments: { user_id: 'yusuf_rossi_9620', address1: 'Late St', address2: '', city: 'X', state: 'TX', country: 'USA', zip: '10001' },
      });
      const slow = splitPost(`${server.url}/v1/sessions/${id}/calls`, write);
      const r = await slow.response;
      expect(r.status).toBe(504);
      expect(JSON.parse(r.body)).toMatchObject({ error: { code: 'timeout' } });
      slow.release();
      await new Promise((res) => setTimeout(res, 100));
      // The body arrived after the client was told 504: the write must not have happened.
      const changes = await http(`${server.url}/v1/sessions/${id}/changes`);
      expect((changes.json as { changed: Record<string, unknown> }).changed).toEqual({});
      // A chunked upload (no Content-Length) that stalls is bounded the same way.
      const chunked = splitPost(`${server.url}/v1/sessions/${id}/calls`, write, true);
      expect((await chunked.response).status).toBe(504);
      chunked.release();
      const ok = await http(`${server.url}/v1/sessions/${id}/calls`, { body: '{"name":"think","arguments":{"thought":"fast"}}' });
      expect(ok.json).toEqual({ observation: '' });
      expect(((await http(`${server.url}/v1/sessions/${id}/changes`)).json as { changed: Record<string, unknown> }).changed).toEqual({});
    } finally {
      await server.close();
    }
  });

  it('finishes an in-flight call on shutdown, then refuses new connections', async () => {
    const server = await startRetail();
    const id = await newSession(server.url);
    const inFlight = splitPost(`${server.url}/v1/sessions/${id}/calls`, '{"name":"find_user_id_by_email","arguments":{"email":"nobody@x.org"}}');
    await new Promise((r) => setTimeout(r, 50));
    const closed = server.close();
    await new Promise((r) => setTimeout(r, 100));
    inFlight.release();
    expect(await inFlight.response).toEqual({ status: 200, body: '{"observation":"Error: user not found"}' });
    await closed;
    await expect(http(`${server.url}/v1/health`)).rejects.toThrow();
    expect(server.store.size).toBe(0);
  });

  it('`tarl serve --port 0` prints its port as JSON and exits cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [resolve(repoRoot, 'bin/tarl.js'), 'serve', '--data', taubenchDir(), '--domain', 'retail', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    try {
      const line = await new Promise<string>((ok, fail) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('\n')) ok(out.slice(0, out.indexOf('\n')));
        });
        child.on('exit', (code) => fail(new Error(`serve exited early (${String(code)})`)));
      });
      const { port } = JSON.parse(line) as { port: number };
      expect(port).toBeGreaterThan(0);
      expect((await http(`http://127.0.0.1:${port}/v1/health`)).json).toMatchObject({ ok: true, domains: ['retail'] });
      const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      clearTimeout(kill);
    }
  });

  it('`tarl serve` refuses a non-loopback bind without a token', async () => {
    const child = spawn(process.execPath, [resolve(repoRoot, 'bin/tarl.js'), 'serve', '--data', taubenchDir(), '--host', '0.0.0.0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const kill = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((ok) => child.on('exit', (c) => ok(c)));
    clearTimeout(kill);
    expect(code).toBe(1);
    expect(err).toMatch(/refusing to bind 0\.0\.0\.0 without --token/);
  });
});
