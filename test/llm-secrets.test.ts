import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient } from '../src/llm/client.ts';
import { LlmConfigError, LlmRequestError, LlmRetryBudgetError } from '../src/llm/errors.ts';
import { readTree, tempDir } from './support/files.ts';
import { ScriptedLlmServer, text } from './support/llm-server.ts';

const KEY = 'sk-test-7f3c9a1e5b2d4f6a8c0e1b3d5f7a9c2e';
const ENV = { TARL_TEST_API_KEY: KEY };
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** A hostile server that echoes the bearer token back in its error bodies. */
async function echoingServer(statusFor: (i: number) => number): Promise<ScriptedLlmServer> {
  const srv = await ScriptedLlmServer.start((req, i) => {
    const status = statusFor(i);
    if (status === 200) return text('fine');
    return { kind: 'status', status, body: { error: { message: `Incorrect API key provided: ${String(req.headers.authorization)}` } } };
  });
  cleanups.push(() => srv.close());
  return srv;
}

describe('API keys stay secret', () => {
  it('reaches the server but no cache file, no description and no serialisation', async () => {
    const srv = await echoingServer(() => 200);
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const client = new ChatClient({ model: 'm', baseUrl: srv.baseUrl, apiKeyEnv: 'TARL_TEST_API_KEY', env: ENV, cacheDir: dir });
    await client.chat({ messages: [{ role: 'user', content: 'hi' }] }, { trial: 0 });
    await client.chat({ messages: [{ role: 'user', content: 'hi' }] }, { trial: 1 });
    expect(srv.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    const files = await readTree(dir);
    expect(files.length).toBe(2);
    for (const f of files) {
      expect(f.text).not.toContain(KEY);
      expect(f.path).not.toContain(KEY);
    }
    expect(JSON.stringify(client)).not.toContain(KEY);
    expect(JSON.stringify(client.describe())).not.toContain(KEY);
  });

  it('is redacted from a rejected request error', async () => {
    const srv = await echoingServer(() => 401);
    const client = new ChatClient({ model: 'm', baseUrl: srv.baseUrl, apiKeyEnv: 'TARL_TEST_API_KEY', env: ENV });
    const e = await client.chat({ messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LlmRequestError);
    const err = e as LlmRequestError;
    expect(err.message).toContain('Incorrect API key provided: Bearer [REDACTED]');
    expect(`${err.message}\n${err.stack}\n${JSON.stringify(err)}`).not.toContain(KEY);
  });

  it('is redacted from an exhausted retry budget', async () => {
    const srv = await echoingServer(() => 503);
    const client = new ChatClient({ model: 'm', baseUrl: srv.baseUrl, apiKeyEnv: 'TARL_TEST_API_KEY', env: ENV, retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    const e = (await client.chat({ messages: [{ role: 'user', content: 'hi' }] }).catch((x: unknown) => x)) as LlmRetryBudgetError;
    expect(e).toBeInstanceOf(LlmRetryBudgetError);
    expect(e.attempts).toBe(2);
    expect(`${e.message}\n${e.stack}\n${JSON.stringify(e)}\n${JSON.stringify(e.failures)}`).not.toContain(KEY);
  });

  it('names a missing key variable without guessing a value', () => {
    expect(() => new ChatClient({ model: 'm', baseUrl: 'http://127.0.0.1:1/v1', apiKeyEnv: 'TARL_UNSET_KEY', env: {} })).toThrow(LlmConfigError);
    expect(() => new ChatClient({ model: 'm', baseUrl: 'http://127.0.0.1:1/v1', apiKeyEnv: 'TARL_UNSET_KEY', env: {} })).toThrow(/TARL_UNSET_KEY is not set/);
  });
});
