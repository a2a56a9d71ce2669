import { describe, expect, it } from 'vitest';
import { limiter } from '../src/util/pool.ts';

describe('limiter', () => {
  it('runs at most n calls at once, in arrival order, and frees the slot on failure', async () => {
    const limit = limiter(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const job = (i: number) => async (): Promise<number> => {
      started.push(i);
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
      if (i === 1) throw new Error('job 1 failed');
      return i * 10;
    };
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => limit(job(i))));
    expect(most).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([0, 'job 1 failed', 20, 30, 40]);
    expect(await limit(() => Promise.resolve('free again'))).toBe('free again');
  });
});
