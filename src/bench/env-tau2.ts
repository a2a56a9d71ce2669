/**
 * The τ²-bench part of `npm run bench:env`: per τ² domain, a fresh environment (copy-on-write
 * databases over the shared templates), the task's initial state, one read-tool call, the
 * agent and user database hashes after a task's gold actions, τ²'s reward of a gold trajectory
 * (DB replay and gold environments, assertions), and gold tasks per second (environment +
 * initial state + gold actions + reward), in this one process (one core). Reference data:
 * `$TAU2BENCH_DIR` or `../shared/tau2bench`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTau2Tasks, loadTau2World, tasksOfSplit } from '../dataset/tau2.ts';
import type { Tau2Task } from '../dataset/tau2-task.ts';
import type { Tau2Message } from '../episode/tau2-messages.ts';
import { initialEnvironment } from '../sandbox/tau2/replay.ts';
import type { Tau2Environment } from '../sandbox/tau2/environment.ts';
import { REPO_ROOT } from '../paths.ts';
import { TAU2_DOMAINS, type Tau2DomainName, type Tau2World } from '../sandbox/tau2/world.ts';
import { evaluateTau2 } from '../verify/tau2-reward.ts';
import { nowMs, sample } from './measure.ts';
import { summarize } from './stats.ts';
import { formatTable } from './table.ts';

const SAMPLES = 300;
const THROUGHPUT_SECONDS = 2;

function tau2Dir(): string {
  const dir = process.env.TAU2BENCH_DIR ?? resolve(REPO_ROOT, '../shared/tau2bench');
  if (!existsSync(resolve(dir, 'data'))) throw new Error(`τ²-bench data not found at ${dir} (set TAU2BENCH_DIR)`);
  return dir;
}

interface Bench {
  name: Tau2DomainName;
  world: Tau2World;
  tasks: Tau2Task[];
  loadMs: number;
}

/** Runs a task's gold actions (each side on its toolkit, synced after each) and returns the conversation. */
function playGold(env: Tau2Environment, task: Tau2Task): Tau2Message[] {
  const messages: Tau2Message[] = [];
  (task.criteria?.actions ?? []).forEach((a, i) => {
    const id = `g${i}`;
    const r = env.getResponse({ id, name: a.name, arguments: a.arguments, requestor: a.requestor });
    env.sync();
    messages.push({ role: a.requestor, content: null, toolCalls: [{ id, name: a.name, arguments: a.arguments, requestor: a.requestor }] });
    messages.push({ role: 'tool', id, content: r.content, error: r.error, requestor: a.requestor });
  });
  messages.push({ role: 'assistant', content: ['Done.', ...(task.criteria?.communicateInfo ?? [])].join(' ') });
  return messages;
}

const cycle = <T>(xs: readonly T[]): (() => T) => {
  let i = 0;
  return () => xs[i++ % xs.length]!;
};
const ms = (x: number): string => (x < 0.1 ? x.toFixed(4) : x.toFixed(3));

async function rows(b: Bench): Promise<string[][]> {
  const withActions = b.tasks.filter((t) => (t.criteria?.actions ?? []).length > 0);
  const nextTask = cycle(withActions);
  const reads = withActions.flatMap((t) => (t.criteria?.actions ?? []).filter((a) => !b.world.environment().isMutating(a.name)).map((a) => ({ t, a })));
  const nextRead = cycle(reads.length > 0 ? reads : withActions.map((t) => ({ t, a: t.criteria!.actions![0]! })));
  const out: [string, number[]][] = [
    ['fresh environment (copy-on-write)', sample(SAMPLES, () => null, () => void b.world.environment())],
    ["task's initial state (env + init actions)", sample(SAMPLES, () => nextTask(), (t) => void initialEnvironment(b.world, t))],
    [
      'read tool call (fresh world)',
      sample(
        SAMPLES,
        () => {
          const { t, a } = nextRead();
          return { env: initialEnvironment(b.world, t), a };
        },
        ({ env, a }) => void env.getResponse({ id: 'r', name: a.name, arguments: a.arguments, requestor: a.requestor }),
      ),
    ],
    [
      "DB + user-DB hash after a task's gold actions",
      sample(
        SAMPLES,
        () => {
          const t = nextTask();
          const env = initialEnvironment(b.world, t);
          playGold(env, t);
          return env;
        },
        (env) => void (env.dbHash(), env.userDbHash()),
      ),
    ],
  ];
  const verify: number[] = [];
  for (let i = 0; i < Math.min(SAMPLES, withActions.length * 3); i++) {
    const t = nextTask();
    const msgs = playGold(initialEnvironment(b.world, t), t);
    const t0 = nowMs();
    await evaluateTau2(b.world, t, msgs, { termination: 'agent_stop' });
    verify.push(nowMs() - t0);
  }
  out.push(["τ² reward of a gold trajectory (replay + gold env)", verify]);
  return [
    [b.name, `world load (db + tasks, once per process)`, '1', ms(b.loadMs), ms(b.loadMs)],
    ...out.map(([what, s]) => {
      const sum = summarize(s);
      return [b.name, what, String(sum.n), ms(sum.median), ms(sum.p99)];
    }),
  ];
}

async function throughput(b: Bench): Promise<string[]> {
  const withActions = b.tasks.filter((t) => (t.criteria?.actions ?? []).length > 0);
  let n = 0;
  let notOne = 0;
  const t0 = nowMs();
  const cpu0 = process.cpuUsage();
  while (nowMs() - t0 < THROUGHPUT_SECONDS * 1000) {
    for (const t of withActions) {
      const env = initialEnvironment(b.world, t);
      const r = await evaluateTau2(b.world, t, playGold(env, t), { termination: 'agent_stop' });
      if (r.reward !== 1 && r.reward !== null) notOne++;
      n++;
    }
  }
  const secs = (nowMs() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  return [b.name, String(withActions.length), String(n), (n / secs).toFixed(0), (n / ((cpu.user + cpu.system) / 1e6)).toFixed(0), String(notOne)];
}

export async function runTau2(): Promise<void> {
  const dir = tau2Dir();
  const benches: Bench[] = [];
  for (const name of TAU2_DOMAINS) {
    try {
      const t0 = nowMs();
      const world = loadTau2World(dir, name);
      const set = loadTau2Tasks(dir, name);
      const tasks = name === 'telecom' ? tasksOfSplit(set, 'base') : set.tasks;
      benches.push({ name, world, tasks, loadMs: nowMs() - t0 });
    } catch (e) {
      console.log(`skipped τ² ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  const latency: string[][] = [];
  for (const b of benches) latency.push(...(await rows(b)));
  console.log('τ²-bench worlds');
  console.log(formatTable(['domain', 'operation', 'n', 'median ms', 'p99 ms'], latency));
  console.log('');
  const tput: string[][] = [];
  for (const b of benches) tput.push(await throughput(b));
  console.log(formatTable(['τ² gold tasks', 'per pass', 'replayed', 'tasks/s (wall)', 'tasks/CPU-s', 'reward≠1 (scored)'], tput));
}
