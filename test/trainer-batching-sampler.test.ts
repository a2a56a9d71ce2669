import { describe, expect, it, vi } from 'vitest';
import { BatchingSampler } from '../src/trainer/batching-sampler.ts';
import type { SampleRequest, SampledCompletion, Sampler } from '../src/trainer/sampler.ts';

/** Echoes each prompt's last id + 1, recording how many requests each call carried. */
class Recorder implements Sampler {
  readonly calls: number[] = [];
  sample(requests: SampleRequest[]): Promise<SampledCompletion[][]> {
    this.calls.push(requests.length);
    return Promise.resolve(requests.map((r) => [{ ids: [r.promptIds.at(-1)! + 1], text: '', logprobs: [-1], finishReason: 'stop' as const }]));
  }
  update(): Promise<void> {
    return Promise.resolve();
  }
}

describe('BatchingSampler', () => {
  it('sends the requests of concurrent callers in one call and returns each its own completions', async () => {
    const inner = new Recorder();
    const s = new BatchingSampler(inner);
    const req = (x: number): SampleRequest => ({ promptIds: [x], n: 1, maxTokens: 1, temperature: 1 });
    // Three "episodes", each taking two turns; every turn waits for the previous one's result.
    const episode = async (x: number): Promise<number[]> => {
      const a = await s.one(req(x));
      const b = await s.one(req(a[0]!.ids[0]!));
      return [a[0]!.ids[0]!, b[0]!.ids[0]!];
    };
    expect(await Promise.all([episode(10), episode(20), episode(30)])).toEqual([
      [11, 12],
      [21, 22],
      [31, 32],
    ]);
    expect(inner.calls).toEqual([3, 3]);
    expect(s.stats).toEqual({ calls: 2, requests: 6 });
  });

  it('caps a batch at maxBatch and fails every request of a failed call', async () => {
    const inner = new Recorder();
    const s = new BatchingSampler(inner, { maxBatch: 2 });
    await Promise.all([1, 2, 3].map((x) => s.one({ promptIds: [x], n: 1, maxTokens: 1, temperature: 1 })));
    expect(inner.calls).toEqual([2, 1]);
    const failing = new BatchingSampler({ sample: () => Promise.reject(new Error('down')), update: () => Promise.resolve() });
    const rs = await Promise.allSettled([1, 2].map((x) => failing.one({ promptIds: [x], n: 1, maxTokens: 1, temperature: 1 })));
    expect(rs.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });

  it('waits for requests that trickle in (debounce), but never longer than maxWaitMs', async () => {
    vi.useFakeTimers();
    try {
      const inner = new Recorder();
      const s = new BatchingSampler(inner, { idleMs: 8, maxWaitMs: 50 });
      const req = (x: number): SampleRequest => ({ promptIds: [x], n: 1, maxTokens: 1, temperature: 1 });
      const done: Promise<unknown>[] = [];
      for (let i = 0; i < 3; i++) {
        done.push(s.one(req(i)));
        await vi.advanceTimersByTimeAsync(5); // each arrives before the previous one's idle time ran out
      }
      expect(inner.calls).toEqual([]);
      await vi.advanceTimersByTimeAsync(10);
      expect(inner.calls).toEqual([3]);
      // A steady trickle is cut at maxWaitMs.
      for (let i = 0; i < 20; i++) {
        done.push(s.one(req(i)));
        await vi.advanceTimersByTimeAsync(5);
      }
      expect(inner.calls[1]).toBe(10);
      await vi.runAllTimersAsync();
      await Promise.all(done);
      expect(inner.calls.reduce((a, b) => a + b, 0)).toBe(23);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends a wave the moment every live episode is waiting, and lets ended episodes out', async () => {
    vi.useFakeTimers();
    try {
      const inner = new Recorder();
      const s = new BatchingSampler(inner, { idleMs: 1000, maxWaitMs: 5000 });
      const req = (x: number): SampleRequest => ({ promptIds: [x], n: 1, maxTokens: 1, temperature: 1 });
      s.enter();
      s.enter();
      s.enter();
      const a = s.one(req(1));
      const b = s.one(req(2));
      await vi.advanceTimersByTimeAsync(0);
      expect(inner.calls).toEqual([]); // one episode is still busy
      const c = s.one(req(3));
      await Promise.all([a, b, c]);
      expect(inner.calls).toEqual([3]); // no timer needed
      const d = s.one(req(4));
      s.exit(); // an episode ended: the two left are both waiting? no — only one is
      await vi.advanceTimersByTimeAsync(0);
      expect(inner.calls).toEqual([3]);
      s.exit(); // now the one live episode is waiting
      await d;
      expect(inner.calls).toEqual([3, 1]);
    } finally {
      vi.useRealTimers();
    }
  });
});
