/**
 * `npm run bench:env`: the sandbox's speed on τ-bench worlds, per domain — template clone, one
 * read-tool call on a fresh world, the state hash after a task's writes, full-task verification —
 * and test tasks per second (clone + ground-truth actions + verification), all in this one
 * process, i.e. one core. Throughput is also given per CPU-second of this process, which a busy
 * shared machine disturbs less than wall time. Reference data: `$TAUBENCH_DIR` or `../shared/taubench`.
 * Then the τ²-bench worlds side by side (src/bench/env-tau2.ts).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import type { Action, Task } from '../dataset/task.ts';
import { readTaubenchData, readTaubenchTasks } from '../dataset/taubench.ts';
import { TAUBENCH_DOMAINS, type Domain, type DomainName } from '../domains/domain.ts';
import { EpisodeDb } from '../sandbox/db-pool.ts';
import { Sandbox } from '../sandbox/sandbox.ts';
import { WorldTemplate } from '../sandbox/template.ts';
import { Verifier } from '../verify/verifier.ts';
import { nowMs, sample } from './measure.ts';
import { summarize } from './stats.ts';
import { formatTable } from './table.ts';
import { runTau2 } from './env-tau2.ts';

const SAMPLES = 1000;
const THROUGHPUT_SECONDS = 2;

interface Bench {
  name: DomainName;
  template: WorldTemplate;
  tasks: Task[];
  verifier: Verifier;
}

function taubenchDir(): string {
  const dir = process.env.TAUBENCH_DIR ?? resolve(REPO_ROOT, '../shared/taubench');
  if (!existsSync(resolve(dir, 'data'))) throw new Error(`τ-bench data not found at ${dir} (set TAUBENCH_DIR)`);
  return dir;
}

/** Each domain's world and test tasks; a domain that cannot load is reported, not fatal. */
async function load(dir: string): Promise<{ benches: Bench[]; skipped: string[] }> {
  const benches: Bench[] = [];
  const skipped: string[] = [];
  for (const name of TAUBENCH_DOMAINS) {
    try {
      const mod = (await import(`../domains/${name}/index.ts`)) as Record<string, Domain | undefined>;
      const domain = mod[name];
      if (!domain) throw new Error(`src/domains/${name}/index.ts exports no '${name}'`);
      const template = WorldTemplate.build(domain, readTaubenchData(dir, name, domain.tables));
      benches.push({ name, template, tasks: readTaubenchTasks(dir, name, 'test'), verifier: new Verifier(template) });
    } catch (e) {
      skipped.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  return { benches, skipped };
}

function replay(sandbox: Sandbox, actions: readonly Action[]): void {
  for (const a of actions) sandbox.call(a.name, a.kwargs);
}

/** Cycles through a non-empty list, one element per call. */
function cycle<T>(items: readonly T[]): () => T {
  if (items.length === 0) throw new Error('nothing to cycle through');
  let i = 0;
  return () => items[i++ % items.length]!;
}

const ms = (x: number): string => (x < 0.1 ? x.toFixed(4) : x.toFixed(3));

function latencyRows(b: Bench): string[][] {
  const t = b.template;
  const writeKinds = (task: Task): Action[] =>
    task.actions.filter((a) => b.template.domain.tools.find((tool) => tool.name === a.name)?.kind === 'write');
  const reads = b.tasks.flatMap((task) =>
    task.actions.filter((a) => b.template.domain.tools.find((tool) => tool.name === a.name)?.kind === 'read'),
  );
  const withWrites = b.tasks.filter((task) => writeKinds(task).length > 0);
  for (const task of b.tasks) b.verifier.groundTruth(task);

  const nextRead = cycle(reads);
  const nextWriter = cycle(withWrites);
  const nextTask = cycle(b.tasks);
  const holder: { s?: Sandbox } = {};
  const rows: [string, number[], string][] = [
    // A fresh copy of the template image: what an episode's first write costs with an empty pool.
    ['template clone (image deserialised)', sample(SAMPLES, () => ({}) as { e?: EpisodeDb }, (h) => void (h.e = new EpisodeDb(t.image)), (h) => h.e!.db.close()), '< 1 ms'],
    // What an episode pays in steady state: a pooled copy, restored from the last episode's writes.
    ['world copy from the pool (restored at close)', sample(SAMPLES, () => holder, (h) => void (h.s = new Sandbox(t)).world.db, (h) => h.s!.close()), ''],
    [
      'read tool call (fresh world)',
      sample(SAMPLES, () => ({ s: new Sandbox(t), a: nextRead() }), ({ s, a }) => void s.call(a.name, a.kwargs), ({ s }) => s.close()),
      '',
    ],
    [
      'state hash after a task\'s writes',
      sample(
        SAMPLES,
        () => {
          const s = new Sandbox(t);
          replay(s, writeKinds(nextWriter()));
          return s;
        },
        (s) => void s.stateHash(),
        (s) => s.close(),
      ),
      '',
    ],
    [
      'task verification (GT cached)',
      sample(
        SAMPLES,
        () => {
          const task = nextTask();
          const s = new Sandbox(t);
          replay(s, task.actions);
          return { s, task };
        },
        ({ s, task }) => void b.verifier.verify(s, task, task.outputs),
        ({ s }) => s.close(),
      ),
      '< 5 ms median',
    ],
    [
      'task verification (cold: GT replay)',
      sample(
        Math.min(SAMPLES, b.tasks.length * 4),
        () => {
          const task = nextTask();
          const s = new Sandbox(t);
          replay(s, task.actions);
          return { s, task, verifier: new Verifier(t) };
        },
        ({ s, task, verifier }) => void verifier.verify(s, task, task.outputs),
        ({ s }) => s.close(),
      ),
      '',
    ],
  ];
  return rows.map(([what, samples, target]) => {
    const sum = summarize(samples);
    return [b.name, what, String(sum.n), ms(sum.median), ms(sum.p99), target];
  });
}

/** Test tasks per second on this one core: clone, every GT action, verification, close. */
function throughput(benches: readonly Bench[]): { tasks: number; seconds: number; cpuSeconds: number; failures: number } {
  const all = benches.flatMap((b) => b.tasks.map((task) => ({ b, task })));
  let tasks = 0;
  let failures = 0;
  const t0 = nowMs();
  const cpu0 = process.cpuUsage();
  let elapsed = 0;
  while (elapsed < THROUGHPUT_SECONDS * 1000) {
    for (const { b, task } of all) {
      const s = new Sandbox(b.template);
      replay(s, task.actions);
      if (b.verifier.verify(s, task, task.outputs).reward !== 1) failures++;
      s.close();
      tasks++;
    }
    elapsed = nowMs() - t0;
  }
  const cpu = process.cpuUsage(cpu0);
  return { tasks, seconds: elapsed / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, failures };
}

export async function run(): Promise<void> {
  const dir = taubenchDir();
  const { benches, skipped } = await load(dir);
  for (const s of skipped) console.log(`skipped ${s}`);
  if (benches.length === 0) throw new Error('no domain could be loaded');

  const rows = benches.flatMap(latencyRows);
  console.log(formatTable(['domain', 'operation', 'n', 'median ms', 'p99 ms', 'target'], rows));
  console.log('');

  const tputRows: string[][] = [];
  for (const group of [...benches.map((b) => [b]), ...(benches.length > 1 ? [benches] : [])]) {
    const { tasks, seconds, cpuSeconds, failures } = throughput(group);
    const perTask = group.reduce((n, b) => n + b.tasks.length, 0);
    tputRows.push([
      group.map((b) => b.name).join('+'),
      String(perTask),
      String(tasks),
      (tasks / seconds).toFixed(0),
      (tasks / cpuSeconds).toFixed(0),
      String(failures),
      '≥ 500 tasks/s',
    ]);
  }
  console.log(formatTable(['test tasks', 'per pass', 'replayed', 'tasks/s (wall)', 'tasks/CPU-s', 'GT reward≠1', 'target'], tputRows));
  console.log('');
  await runTau2();
}
