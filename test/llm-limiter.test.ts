import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, retryAfterMs } from '../src/llm/backoff.ts';
import { EndpointLimiter, limiterFor } from '../src/llm/limiter.ts';
import { formatModelSpec, parseModelSpecString } from '../src/llm/model-spec.ts';

/** Whether a promise has settled after the pending microtasks and one macrotask ran. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((r) => setTimeout(r, 0));
  return done;
}

describe('EndpointLimiter', () => {
  it('holds the third request of a 2-per-window limit until the window moves', async () => {
    const l = new EndpointLimiter({ requestsPerMinute: 2 }, 300);
    (await l.acquire())();
    (await l.acquire())();
    const third = l.acquire();
    expect(await settled(third)).toBe(false);
    (await third)();
  });

  it('queues beyond the concurrency limit and hands slots over in order', async () => {
    const l = new EndpointLimiter({ concurrency: 1 });
    const r1 = await l.acquire();
    const second = l.acquire();
    const third = l.acquire();
    expect(await settled(second)).toBe(false);
    r1();
    const r2 = await second;
    expect(await settled(third)).toBe(false);
    r2();
    r2(); // releasing twice must not free a second slot
    (await third)();
  });

  it('lets a queued caller abort', async () => {
    const l = new EndpointLimiter({ concurrency: 1 });
    const r1 = await l.acquire();
    const ac = new AbortController();
    const waiting = l.acquire(ac.signal);
    ac.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    r1();
    (await l.acquire())();
  });

  it('is shared per endpoint and tightened to the strictest limit', () => {
    const a = limiterFor('http://127.0.0.1:1/v1-limiter-test', { concurrency: 8 });
    const b = limiterFor('http://127.0.0.1:1/v1-limiter-test', { concurrency: 2, requestsPerMinute: 100 });
    expect(b).toBe(a);
    expect(a.current).toEqual({ concurrency: 2, requestsPerMinute: 100 });
  });
});

describe('backoff', () => {
  const policy = { maxAttempts: 5, maxElapsedMs: 1000, baseDelayMs: 100, maxDelayMs: 1000 };
  it('grows exponentially under a cap, with full jitter', () => {
    expect(backoffDelay(0, policy, () => 0.999)).toBe(99);
    expect(backoffDelay(3, policy, () => 0.999)).toBe(799);
    expect(backoffDelay(10, policy, () => 0.999)).toBe(999);
    expect(backoffDelay(10, policy, () => 0)).toBe(0);
  });

  it('reads Retry-After in seconds, as a date, and retry-after-ms', () => {
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Wed, 21 Oct 2015 07:28:10 GMT' }), Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});

describe('model-spec round trip (property)', () => {
  it('any model id with : / . - _ and any http URL with port and path survive format → parse', () => {
    const idChar = fc.constantFrom(...'abcXYZ019:/.-_@'.split(''));
    const model = fc.string({ unit: idChar, minLength: 1, maxLength: 30 }).filter((m) => m.trim() === m && !m.startsWith('trained:'));
    const url = fc.tuple(fc.constantFrom('http', 'https'), fc.constantFrom('localhost', '127.0.0.1', 'gpu-01.lan'), fc.integer({ min: 1, max: 65535 }), fc.array(fc.constantFrom('v1', 'openai', 'x:y'), { maxLength: 3 }));
    fc.assert(
      fc.property(model, url, fc.double({ min: 0, max: 2, noNaN: true }), (m, [proto, host, port, path], temperature) => {
        const baseUrl = `${proto}://${host}:${port}/${path.join('/')}`;
        const spec = parseModelSpecString(`react:model=${m},base_url=${baseUrl},temperature=${temperature}`);
        expect(spec.llm).toMatchObject({ model: m, temperature });
        expect(spec.llm?.baseUrl).toBe(baseUrl);
        expect(parseModelSpecString(formatModelSpec(spec))).toEqual(spec);
      }),
      { numRuns: 200 },
    );
  });
});
