import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OracleAgent } from '../src/agents/oracle.ts';
import { buildSuite } from '../src/bench/episodes.ts';
import { runEpisodes } from '../src/episode/run-many.ts';
import { episodeKey } from '../src/episode/trajectory.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { ScriptedUser } from '../src/users/scripted.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TASKS = 600;
const SEED = 3;
const tmp = mkdtempSync(join(tmpdir(), 'tarl-kill-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The child: runs every task not yet in the log, appending each finished episode (awaited group commits). */
const CHILD = `
import { OracleAgent } from ${JSON.stringify(join(ROOT, 'src/agents/oracle.ts'))};
import { buildSuite } from ${JSON.stringify(join(ROOT, 'src/bench/episodes.ts'))};
import { runEpisodes } from ${JSON.stringify(join(ROOT, 'src/episode/run-many.ts'))};
import { episodeKey } from ${JSON.stringify(join(ROOT, 'src/episode/trajectory.ts'))};
import { RunDir } from ${JSON.stringify(join(ROOT, 'src/run/run-dir.ts'))};
import { EpisodeLog } from ${JSON.stringify(join(ROOT, 'src/run/episode-log.ts'))};
import { ScriptedUser } from ${JSON.stringify(join(ROOT, 'src/users/scripted.ts'))};
const [dir, count, seed] = process.argv.slice(2);
const suite = buildSuite('retail', Number(count), Number(seed));
const run = RunDir.open(dir);
const done = new Set(run.episodes().episodes.map(episodeKey));
// Short group commits, each awaited: records reach the file while the run goes on.
const log = new EpisodeLog(run.path('episodes.jsonl'), { commitIntervalMs: 5 });
const todo = suite.tasks.filter((task) => !done.has(episodeKey({ taskId: task.id, trial: 0 })));
console.log('running', todo.length);
await runEpisodes(
  todo.map((task) => ({ task, template: suite.template, verifier: suite.verifier, agent: new OracleAgent(), user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed: 0 })),
  { concurrency: 8, onEpisode: (t) => log.append(t) },
);
log.close();
console.log('finished');
`;

function lines(path: string): number {
  return existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0;
}

describe('kill -9 mid-run, then resume', () => {
  it('leaves no torn or duplicated episode, and appending after resume completes the run', async () => {
    const dir = join(tmp, 'run');
    const run = RunDir.create(dir, {
      schema: 1,
      kind: 'eval',
      createdAt: new Date().toISOString(),
      config: { agent: 'oracle', user: 'scripted' },
      provenance: { commit: null, tarlVersion: 'test', node: process.version, data: {}, seeds: { tasks: SEED }, models: {} },
    });
    const script = join(tmp, 'child.mts');
    writeFileSync(script, CHILD);
    const child = spawn(process.execPath, ['--import', 'tsx', script, dir, String(TASKS), String(SEED)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const path = run.path('episodes.jsonl');
    const deadline = Date.now() + 60_000;
    while (lines(path) < 40 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    expect(child.exitCode, output).toBeNull();
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toContain('finished');

    const after = run.episodes();
    expect(after.corrupt).toBe(0);
    expect(after.duplicates).toBe(0);
    expect(after.episodes.length).toBeGreaterThanOrEqual(40);
    expect(after.episodes.length).toBeLessThan(TASKS);
    for (const t of after.episodes) {
      expect(t.reward).toBe(1);
      expect(t.rewardInfo?.dbMatch).toBe(true);
    }

    // Resume in this process: only what is missing runs; a torn tail, if any, is cut off first.
    const suite = buildSuite('retail', TASKS, SEED);
    const done = new Set(after.episodes.map(episodeKey));
    const log = run.episodeLog();
    const pending: Promise<void>[] = [];
    const todo = suite.tasks.filter((task) => !done.has(episodeKey({ taskId: task.id, trial: 0 })));
    await runEpisodes(
      todo.map((task) => ({ task, template: suite.template, verifier: suite.verifier, agent: new OracleAgent(), user: new ScriptedUser(), policy: '', tools: [], trial: 0, seed: 0 })),
      { concurrency: 4, onEpisode: (t) => void pending.push(log.append(t)) },
    );
    await Promise.all(pending);
    log.close();

    const final = run.episodes();
    expect(final).toMatchObject({ tornTail: false, duplicates: 0, corrupt: 0 });
    expect(final.episodes).toHaveLength(TASKS);
    expect(new Set(final.episodes.map((t) => t.taskId))).toEqual(new Set(suite.tasks.map((t) => t.id)));
    expect(final.episodes.every((t) => t.reward === 1)).toBe(true);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(TASKS);
   }, 180_000);
});
