import { afterEach, describe, expect, it } from 'vitest';
import { ChatClient, type ChatClientConfig } from '../src/llm/client.ts';
import { LlmRequestError, LlmRetryBudgetError } from '../src/llm/errors.ts';
import { delay, drop, emptyChoices, rateLimited, ScriptedLlmServer, serverError, text, type Script } from './support/llm-server.ts';

const FAST_RETRY = { maxAttempts: 4, maxElapsedMs: 10_000, baseDelayMs: 5, maxDelayMs: 20 };
let server: ScriptedLlmServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(script: Script, config: Partial<ChatClientConfig> = {}): Promise<{ srv: ScriptedLlmServer; client: ChatClient }> {
  const srv = await ScriptedLlmServer.start(script);
  server = srv;
  const client = new ChatClient({ model: 'scripted-model', baseUrl: srv.baseUrl, retry: FAST_RETRY, timeoutMs: 2_000, ...config });
  return { srv, client };
}

const hello = [{ role: 'user' as const, content: 'hello' }];

describe('ChatClient against the local server', () => {
  it('sends the request body it describes and parses the reply', async () => {
    const { srv, client } = await setup([text('hi there')], { sampling: { temperature: 0.7, maxTokens: 64, seed: 3 } });
    const r = await client.chat({ messages: hello });
    expect(r.message).toEqual({ role: 'assistant', content: 'hi there' });
    expect(r.attempts).toBe(1);
    expect(r.cached).toBe(false);
    expect(srv.bodies).toEqual([{ model: 'scripted-model', messages: hello, temperature: 0.7, max_tokens: 64, seed: 3 }]);
  });

  it('waits for the Retry-After of a 429, then succeeds', async () => {
    const { srv, client } = await setup([rateLimited(1), text('ok')]);
    const r = await client.chat({ messages: hello });
    expect(r.message.content).toBe('ok');
    expect(r.attempts).toBe(2);
    const [first, second] = srv.requests;
    // The jittered backoff alone would be ≤ 20 ms here; only Retry-After explains ≥ ~1 s.
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
  });

  it('gives up at once when Retry-After exceeds the time budget', async () => {
    const { srv, client } = await setup([rateLimited(60), text('never')], { retry: { ...FAST_RETRY, maxElapsedMs: 2_000 } });
    const err = await client.chat({ messages: hello }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmRetryBudgetError);
    const e = err as LlmRetryBudgetError;
    expect(e.attempts).toBe(1);
    expect(e.lastFailure).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(e.message).toMatch(/time budget of 2000 ms exhausted \(next wait 60000 ms\)/);
    expect(srv.requests).toHaveLength(1);
  });

  it('retries 500s and then succeeds', async () => {
    const { srv, client } = await setup([serverError(), serverError(502), text('recovered')]);
    const r = await client.chat({ messages: hello });
    expect(r.message.content).toBe('recovered');
    expect(r.attempts).toBe(3);
    expect(srv.requests).toHaveLength(3);
  });

  it('reports persistent 500s as an exhausted budget with the attempt count', async () => {
    const { srv, client } = await setup(() => serverError());
    const e = (await client.chat({ messages: hello }).catch((x: unknown) => x)) as LlmRetryBudgetError;
    expect(e).toBeInstanceOf(LlmRetryBudgetError);
    expect(e.attempts).toBe(4);
    expect(e.failures.map((f) => f.status)).toEqual([500, 500, 500, 500]);
    expect(e.message).toContain('failed after 4 attempt(s)');
    expect(e.message).toContain('attempt budget exhausted');
    expect(e.message).toContain(srv.baseUrl);
    expect(srv.requests).toHaveLength(4);
  });

  it('retries a timeout and a dropped connection, then succeeds', async () => {
    const { srv, client } = await setup([delay(1_000, text('too late')), drop(), text('third time')], { timeoutMs: 200 });
    const r = await client.chat({ messages: hello });
    expect(r.message.content).toBe('third time');
    expect(r.attempts).toBe(3);
    expect(srv.requests).toHaveLength(3);
  });

  it('reports timeouts past the budget', async () => {
    const { client } = await setup(() => delay(5_000, text('never')), { timeoutMs: 100, retry: { ...FAST_RETRY, maxAttempts: 3 } });
    const e = (await client.chat({ messages: hello }).catch((x: unknown) => x)) as LlmRetryBudgetError;
    expect(e).toBeInstanceOf(LlmRetryBudgetError);
    expect(e.attempts).toBe(3);
    expect(e.failures.every((f) => f.kind === 'timeout')).toBe(true);
  });

  it('reports dropped connections past the budget', async () => {
    const { client } = await setup(() => drop(), { retry: { ...FAST_RETRY, maxAttempts: 2 } });
    const e = (await client.chat({ messages: hello }).catch((x: unknown) => x)) as LlmRetryBudgetError;
    expect(e).toBeInstanceOf(LlmRetryBudgetError);
    expect(e.attempts).toBe(2);
    expect(e.failures.map((f) => f.kind)).toEqual(['connection', 'connection']);
  });

  it('retries a 200 with empty choices as a bad response', async () => {
    const { client } = await setup([emptyChoices(), text('fine')]);
    const r = await client.chat({ messages: hello });
    expect(r.message.content).toBe('fine');
    expect(r.attempts).toBe(2);
  });

  it('does not retry a 400: the request itself is wrong', async () => {
    const { srv, client } = await setup([{ kind: 'status', status: 400, body: { error: { message: 'bad tools' } } }, text('unused')]);
    const e = await client.chat({ messages: hello }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(LlmRequestError);
    expect((e as LlmRequestError).status).toBe(400);
    expect(srv.requests).toHaveLength(1);
  });

  it('stops waiting when the caller aborts', async () => {
    const { client } = await setup(() => delay(5_000, text('never')), { timeoutMs: 10_000 });
    const ac = new AbortController();
    const p = client.chat({ messages: hello }, { signal: ac.signal });
    setTimeout(() => ac.abort(new Error('cancelled by test')), 50);
    await expect(p).rejects.toThrow(/cancelled by test|abort/i);
  });

  it('accounts usage, cost for a priced model and null for an unknown one', async () => {
    const usage = { prompt_tokens: 1000, completion_tokens: 500 };
    const { srv } = await setup([text('a', { usage }), text('b', { usage })]);
    const priced = new ChatClient({ model: 'gpt-4o-mini', baseUrl: srv.baseUrl, retry: FAST_RETRY });
    const unknown = new ChatClient({ model: 'Qwen/Qwen3-8B', baseUrl: srv.baseUrl, retry: FAST_RETRY });
    const a = await priced.chat({ messages: hello });
    expect(a.usage.promptTokens).toBe(1000);
    expect(a.usage.completionTokens).toBe(500);
    expect(a.usage.costUsd).toBeCloseTo((1000 * 0.15 + 500 * 0.6) / 1e6, 12);
    const b = await unknown.chat({ messages: hello });
    expect(b.usage.costUsd).toBeNull();
  });

  it('returns log-probs and the non-standard token ids', async () => {
    const lp = [
      { token: 'Hel', logprob: -0.25 },
      { token: 'lo', logprob: -1.5 },
    ];
    const { srv, client } = await setup([text('Hello', { logprobs: lp, tokenIds: [101, 102], promptTokenIds: [1, 2, 3] }), text('Hi', { logprobs: [{ token: 'token_id:77', logprob: -0.5 }] })], {
      sampling: { logprobs: true, tokenIds: true },
    });
    const r = await client.chat({ messages: hello });
    expect(r.tokens).toEqual({ completionIds: [101, 102], logprobs: [-0.25, -1.5], promptIds: [1, 2, 3] });
    expect(srv.bodies[0]).toMatchObject({ logprobs: true, return_token_ids: true });
    const r2 = await client.chat({ messages: hello });
    expect(r2.tokens).toEqual({ completionIds: [77], logprobs: [-0.5] });
  });

  it('shares one endpoint limiter: concurrency 1 serialises two clients', async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const { srv } = await setup([]);
    srv.setScript(() => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      return delay(50, text('x'));
    });
    // Count completion via the client side, since the server cannot see its reply leave.
    const limits = { concurrency: 1 };
    const c1 = new ChatClient({ model: 'm', baseUrl: srv.baseUrl, retry: FAST_RETRY, limits });
    const c2 = new ChatClient({ model: 'm', baseUrl: srv.baseUrl, retry: FAST_RETRY });
    const track = (p: Promise<unknown>): Promise<unknown> => p.finally(() => inFlight--);
    await Promise.all([track(c1.chat({ messages: hello })), track(c2.chat({ messages: hello })), track(c1.chat({ messages: hello }))]);
    expect(srv.requests).toHaveLength(3);
    expect(maxInFlight).toBe(1);
  });
});
