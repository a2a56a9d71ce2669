import { describe, expect, it } from 'vitest';
import { benchView } from '../src/bench/view.ts';

describe('tarl view on a large run (the bench at 10⁴ episodes)', () => {
  it('indexes without holding the file: memory stays flat, pages stay fast', async () => {
    const r = await benchView({ episodes: 10_000, pages: 60 });
    // The index keeps ~200 bytes per record, not the ~7 KB record: far below the file's size.
    expect(r.fileMb).toBeGreaterThan(50);
    expect(r.bytesPerEpisode).toBeLessThan(400);
    expect(r.afterIndex.heapMb - r.before.heapMb).toBeLessThan(r.fileMb / 10);
    // Serving hundreds of pages (every kind, searches included) leaves the heap where it was.
    expect(r.afterPages.heapMb - r.afterIndex.heapMb).toBeLessThan(10);
    // Generous bounds for a shared CI machine; the figures measured here are in docs/view.md.
    for (const k of ['list page', 'list: failures with −1', 'list: one step', 'episode page', 'run page', 'metrics poll']) expect(r.latency[k]!.p95, k).toBeLessThan(250);
    expect(r.latency['search (first page)']!.p95).toBeLessThan(2000);
  }, 180_000);
});
