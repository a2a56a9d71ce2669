import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Trajectory } from '../src/episode/trajectory.ts';
import { EpisodeIndex, readEpisodes, scanLines } from '../src/run/episode-log.ts';
import { RunDir } from '../src/run/run-dir.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-index-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ep = (taskId: string, trial: number, o: Partial<Trajectory> = {}): Trajectory => ({
  schema: 1, taskId, domain: 'retail', split: 'test', taskIndex: 0, trial, seed: 0, agent: 'a', user: 'u',
  messages: [{ role: 'user', content: 'héllo ✓ <script>' }], steps: [], termination: 'user_stop', reward: 1,
  usage: { agent: { promptTokens: 0, completionTokens: 0, costUsd: null }, user: { promptTokens: 0, completionTokens: 0, costUsd: 0 } },
  wallMs: 0, startedAt: '', ...o,
});
const line = (t: unknown): string => JSON.stringify(t) + '\n';

describe('scanLines', () => {
  it('hands out complete lines across chunk boundaries and leaves the unterminated tail', async () => {
    const path = join(dir, 'lines.txt');
    writeFileSync(path, 'aé\n\nbbbbbbbbbb\nccc');
    const got: [number, number, string][] = [];
    const end = await scanLines(path, { offset: 0, line: 1 }, (l) => void got.push([l.line, l.offset, l.text]), { chunkBytes: 3 });
    expect(got).toEqual([[1, 0, 'aé'], [2, 4, ''], [3, 5, 'bbbbbbbbbb']]);
    expect(end).toEqual({ offset: 16, line: 4, size: 19, tail: 3 });
    appendFileSync(path, 'c\n');
    const more: string[] = [];
    expect(await scanLines(path, end, (l) => void more.push(l.text))).toMatchObject({ offset: 21, line: 5, tail: 0 });
    expect(more).toEqual(['cccc']);
    const capped: string[] = [];
    expect((await scanLines(path, { offset: 0, line: 1 }, (l) => void capped.push(l.text), { maxBytes: 4 })).offset).toBe(4);
    expect(capped).toEqual(['aé']);
  });
});

describe('EpisodeIndex', () => {
  it('agrees with readEpisodes (duplicates, corrupt lines, torn tail) and reads records back from their offsets', async () => {
    const path = join(dir, 'a.jsonl');
    writeFileSync(path, line(ep('t0', 0)) + line(ep('t1', 0, { reward: 0, termination: 'max_steps' })) + 'not json\n' + line(ep('t0', 0)) + line({ taskId: 3 }) + line(ep('t2', 1)) + '{"torn');
    const idx = new EpisodeIndex(path);
    await idx.refresh();
    const r = readEpisodes(path);
    // readEpisodes keeps `{"taskId":3}` (it checks JSON only); the index checks each record's head.
    expect(r.episodes.map((e) => e.taskId)).toEqual(['t0', 't1', 3, 't2']);
    expect(idx.count).toBe(3);
    expect(idx.duplicates).toBe(r.duplicates);
    expect([r.corrupt, r.tornTail]).toEqual([1, true]);
    expect(idx.corrupt).toBe(2);
    expect(idx.problems.map((p) => p.line)).toEqual([3, 5]);
    expect(idx.problems[1]!.message).toMatch(/not a trajectory record.*taskId/);
    expect(idx.tail).toBe(6);
    expect([0, 1, 2].map((i) => idx.head(i).key)).toEqual(['t0#0', 't1#0', 't2#1']);
    expect(idx.head(1)).toMatchObject({ line: 2, reward: 0, termination: 'max_steps', step: null, kept: null, negTurn: null });
    expect(await idx.read(2)).toEqual(ep('t2', 1));
    expect(idx.find('t1#0')).toBe(1);

    // A live run appends: only the new bytes are scanned; the torn line completes.
    appendFileSync(path, 'y":1}\n' + line(ep('t3', 0, { step: 4, rl: { reward: 0.5, advantages_K: [], kept: false, trainTokens: 0 } })));
    await idx.refresh();
    expect(idx.count).toBe(4);
    expect(idx.corrupt).toBe(3);
    expect(idx.head(3)).toMatchObject({ key: '4/t3#0', step: 4, kept: false, shaped: 0.5 });
    expect(idx.tail).toBe(0);
  });

  it('re-indexes a file replaced by an atomic rewrite (judge verdicts merged) and finds a record by key', async () => {
    const run = RunDir.create(join(dir, 'run'), { schema: 1, kind: 'eval', createdAt: '', config: {}, provenance: { commit: null, tarlVersion: '0', node: '', data: {}, seeds: {}, models: {} } });
    run.rewriteEpisodes([ep('t0', 0), ep('t1', 0)]);
    const idx = run.episodeIndex();
    await idx.refresh();
    expect(idx.head(1).judged).toBe(false);
    run.rewriteEpisodes([ep('t0', 0), ep('t1', 0, { judge: { judge: 'oracle', status: 'ok', verdicts: [{ turn: 0, score: -1, rationale: 'x' }] } })]);
    // Reading before a refresh notices the rewrite by the key and re-indexes.
    expect((await idx.read(1)).judge?.verdicts[0]?.score).toBe(-1);
    expect(idx.head(1)).toMatchObject({ judged: true, negTurn: 0 });
  });

  it('reports a record with a wrong field by file, line and field', async () => {
    const path = join(dir, 'b.jsonl');
    writeFileSync(path, line({ ...ep('t0', 0), messages: [{ role: 'assistant', content: 5 }] }));
    const idx = new EpisodeIndex(path);
    await idx.refresh();
    expect(idx.count).toBe(1);
    await expect(idx.read(0)).rejects.toThrow(/b\.jsonl:1: not a trajectory record[\s\S]*messages/);
  });
});

describe('RunDir.metricsFrom', () => {
  it('follows a live metrics file by byte offset, reporting bad lines instead of throwing', async () => {
    const run = RunDir.create(join(dir, 'train'), { schema: 1, kind: 'train', createdAt: '', config: {}, provenance: { commit: null, tarlVersion: '0', node: '', data: {}, seeds: {}, models: {} } });
    expect(await run.metricsFrom(0)).toMatchObject({ lines: [], next: 0, reset: false });
    run.appendMetrics(0, { 'reward/mean': 0.1 });
    appendFileSync(run.path('metrics.jsonl'), '{"step":1,"loss/train":null,"reward/mean":0.2}\nnope\n{"step":2,');
    const a = await run.metricsFrom(0);
    expect(a.lines).toEqual([{ step: 0, 'reward/mean': 0.1 }, { step: 1, 'reward/mean': 0.2 }]);
    expect(a.problems).toEqual([{ line: 2, message: expect.stringMatching(/null .*loss\/train/) }, { line: 3, message: expect.stringMatching(/not JSON/) }]);
    expect(a.tail).toBe(10);
    appendFileSync(run.path('metrics.jsonl'), '"reward/mean":0.3}\n');
    const b = await run.metricsFrom(a.next, a.nextLine, a.file);
    expect(b.lines).toEqual([{ step: 2, 'reward/mean': 0.3 }]);
    expect(b.problems).toEqual([]);
    // Resume rewrites the file atomically (truncateSteps): a reader holding the old identity starts again.
    run.writeFile('metrics.jsonl', '{"step":0,"reward/mean":0.1}\n');
    expect(await run.metricsFrom(b.next, b.nextLine, b.file)).toMatchObject({ reset: true, lines: [] });
    expect((await run.metricsFrom(0)).lines).toEqual([{ step: 0, 'reward/mean': 0.1 }]);
  });
});
