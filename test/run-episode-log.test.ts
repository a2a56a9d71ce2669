import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Trajectory } from '../src/episode/trajectory.ts';
import { EpisodeLog, readEpisodes } from '../src/run/episode-log.ts';
import { RunDir } from '../src/run/run-dir.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ep = (taskId: string, trial: number, reward = 1): Trajectory => ({
  schema: 1, taskId, domain: 'retail', split: 'test', taskIndex: 0, trial, seed: 0, agent: 'a', user: 'u',
  messages: [{ role: 'user', content: 'héllo ✓ <script>' }], steps: [], termination: 'user_stop', reward,
  usage: { agent: { promptTokens: 0, completionTokens: 0, costUsd: null }, user: { promptTokens: 0, completionTokens: 0, costUsd: 0 } },
  wallMs: 0, startedAt: '',
});

describe('EpisodeLog', () => {
  it('group-commits appends: all records of a burst land, in one durable batch', async () => {
    const path = join(dir, 'a.jsonl');
    const log = new EpisodeLog(path, { commitIntervalMs: 20 });
    await Promise.all([ep('t0', 0), ep('t1', 0), ep('t2', 0)].map((e) => log.append(e)));
    log.close();
    const r = readEpisodes(path);
    expect(r.episodes.map((e) => e.taskId)).toEqual(['t0', 't1', 't2']);
    expect(r.episodes[0]!.messages[0]).toEqual({ role: 'user', content: 'héllo ✓ <script>' });
    await expect(log.append(ep('t3', 0))).rejects.toThrow(/closed/);
  });
  it('drops a torn last line on read and cuts it off before appending again', async () => {
    const path = join(dir, 'b.jsonl');
    writeFileSync(path, JSON.stringify(ep('t0', 0)) + '\n' + JSON.stringify(ep('t1', 0)).slice(0, 40));
    const torn = readEpisodes(path);
    expect(torn.tornTail).toBe(true);
    expect(torn.episodes.map((e) => e.taskId)).toEqual(['t0']);
    const log = new EpisodeLog(path);
    await log.append(ep('t1', 0));
    log.close();
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n').filter(Boolean)).toHaveLength(2);
    expect(readEpisodes(path)).toMatchObject({ tornTail: false, duplicates: 0, corrupt: 0 });
  });
  it('keeps the first record per (task, trial) and counts duplicates and corrupt lines', () => {
    const path = join(dir, 'c.jsonl');
    writeFileSync(path, [ep('t0', 0, 1), ep('t0', 1, 0), ep('t0', 0, 0)].map((e) => JSON.stringify(e)).join('\n') + '\n');
    appendFileSync(path, '{not json\n' + JSON.stringify(ep('t9', 0)) + '\n');
    const r = readEpisodes(path);
    expect(r.episodes.map((e) => [e.taskId, e.trial, e.reward])).toEqual([['t0', 0, 1], ['t0', 1, 0], ['t9', 0, 1]]);
    expect(r.duplicates).toBe(1);
    expect(r.corrupt).toBe(1);
  });
});

describe('RunDir', () => {
  const manifest = { schema: 1, kind: 'eval' as const, createdAt: 'x', config: { a: 1 }, provenance: { commit: null, tarlVersion: '0', node: 'v20', data: {}, seeds: { run: 1 }, models: {} } };
  it('refuses to overwrite a run and reads its manifest back', () => {
    const d = join(dir, 'run1');
    RunDir.create(d, manifest);
    expect(() => RunDir.create(d, manifest)).toThrow(/already holds a run/);
    expect(RunDir.open(d).manifest()).toEqual(manifest);
    expect(() => RunDir.open(join(dir, 'nope'))).toThrow(/not a run directory/);
  });
  it('rejects a manifest from a newer schema', () => {
    const d = join(dir, 'run2');
    const run = RunDir.create(d, manifest);
    writeFileSync(run.path('run.json'), JSON.stringify({ ...manifest, schema: 99 }));
    expect(() => run.manifest()).toThrow(/schema 99/);
  });
});
