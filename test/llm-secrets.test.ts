import { afterEach, describe, expect, it } from 'vitest';
import { createAgent } from '../src/agents/registry.ts';
import { readTaubenchTasks } from '../src/dataset/taubench.ts';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { runEval } from '../src/eval/run-eval.ts';
import { formatModelSpec, parseModelSpecString } from '../src/llm/model-spec.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { Verifier } from '../src/verify/verifier.ts';
import { ChatClient } from '../src/llm/client.ts';
import { LlmConfigError, LlmRequestError, LlmRetryBudgetError } from '../src/llm/errors.ts';
import { readTree, tempDir } from './support/files.ts';
import { ScriptedLlmServer, text } from './support/llm-server.ts';
import { taubenchDir } from './support/taubench.ts';

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

describe('a whole eval run with a key set', () => {
  it('writes the key to no file of the run directory or the cache, and records failures redacted', async () => {
    const TAU = taubenchDir();
    const template = loadTaubenchWorld(TAU, 'retail');
    const verifier = new Verifier(template);
    // Request 0 succeeds; request 1 fails with a body that echoes the bearer token.
    const srv = await echoingServer((i) => (i === 0 ? 200 : 500));
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    process.env.TARL_E2E_SECRET_KEY = KEY;
    cleanups.push(async () => {
      delete process.env.TARL_E2E_SECRET_KEY;
    });
    const spec = parseModelSpecString(`tool-calling:model=m,base_url=${srv.baseUrl},api_key_env=TARL_E2E_SECRET_KEY,max_attempts=1,cache_dir=${dir}/cache`);
    const agent = createAgent(spec);
    const manifest = {
      schema: 1,
      kind: 'eval' as const,
      createdAt: new Date().toISOString(),
      config: { agent: formatModelSpec(spec), agentSpec: spec },
      provenance: { commit: null, tarlVersion: 'test', node: process.version, data: {}, seeds: {}, models: { agent: spec.llm!.model } },
    };
    const stopUser = {
      name: 'stop',
      start: () => ({ first: async () => ({ content: 'hi', stop: false }), reply: async () => ({ content: '###STOP###', stop: true }) }),
    };
    const tasks = readTaubenchTasks(TAU, 'retail', 'test').slice(0, 2);
    const { episodes } = await runEval({
      run: RunDir.create(`${dir}/run`, manifest),
      source: { policy: 'policy', tools: [], tasks, world: () => ({ template, verifier }) },
      agent,
      user: stopUser,
      trials: 1,
      concurrency: 1,
      seed: 1,
    });
    expect(srv.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    expect(episodes.map((e) => e.termination).sort()).toEqual(['error', 'user_stop']);
    const failed = episodes.find((e) => e.termination === 'error')!;
    expect(failed.error).toContain('[REDACTED]');
    const files = await readTree(dir);
    expect(files.map((f) => f.path.replace(dir, ''))).toEqual(expect.arrayContaining(['/run/run.json', '/run/episodes.jsonl']));
    expect(files.some((f) => f.path.includes('/cache/'))).toBe(true);
    for (const f of files) expect(f.text, f.path).not.toContain(KEY);
  });
});
