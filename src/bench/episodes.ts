/**
 * `npm run bench:episodes`: the whole episode loop with no model — oracle agent + scripted user
 * on generated tasks, per domain, in this one process (one core). Printed per domain: episodes/s
 * (wall, and per CPU-second of this process, which a busy shared machine disturbs less), agent
 * turns per episode, and µs per turn split into the dialogue layer (oracle + scripted user) and
 * the harness (loop, sandbox clone and tool calls, verification). Goal: ≥ 2,000 episodes/s/core.
 */
import { OracleAgent } from '../agents/oracle.ts';
import type { Agent } from '../agents/agent.ts';
import type { Task } from '../dataset/task.ts';
import { DOMAIN_NAMES, type DomainName } from '../domains/domain.ts';
import { getDomain } from '../domains/registry.ts';
import { runEpisode } from '../episode/run-episode.ts';
import { generateTasks, type GenerateTasksOptions } from '../generate/tasks.ts';
import { generateWorld } from '../generate/world.ts';
import { Sandbox } from '../sandbox/sandbox.ts';
import { WorldTemplate } from '../sandbox/template.ts';
import { ScriptedUser } from '../users/scripted.ts';
import type { UserSimulator } from '../users/user.ts';
import { Verifier } from '../verify/verifier.ts';
import { nowMs } from './measure.ts';
import { formatTable } from './table.ts';

/** A generated world with its tasks: what oracle/scripted runs (bench and tests) need. */
export interface Suite {
  domain: DomainName;
  template: WorldTemplate;
  verifier: Verifier;
  tasks: Task[];
  /** Record ids per table (the flawed agent's `wrong_user` draws another user's record). */
  records: { keys(table: string): readonly string[] };
}

/** World and tasks from seeds (default world sizes: τ-bench's, the starter store's). Deterministic. */
export function buildSuite(domain: DomainName, count: number, seed = 1, filter: Pick<GenerateTasksOptions, 'kinds' | 'singleRequest'> = {}): Suite {
  const world = generateWorld(domain, seed).data;
  const template = WorldTemplate.build(getDomain(domain), world);
  const tasks = generateTasks(domain, world, { count, seed, split: 'test', ...filter });
  return { domain, template, verifier: new Verifier(template), tasks, records: { keys: (t) => template.tables.get(t)?.keys ?? [] } };
}

const TASKS = 500;
const SECONDS = 2;

/** Wraps an agent and a user so the time spent inside them is summed. */
function timed(agent: Agent, user: UserSimulator, clock: { ms: number }): { agent: Agent; user: UserSimulator } {
  const add = async <T>(p: () => Promise<T>): Promise<T> => {
    const t0 = nowMs();
    try {
      return await p();
    } finally {
      clock.ms += nowMs() - t0;
    }
  };
  return {
    agent: {
      name: agent.name,
      start: (ctx) => {
        const ep = agent.start(ctx);
        return { act: (m, s) => add(() => ep.act(m, s)) };
      },
    },
    user: {
      name: user.name,
      start: (ctx) => {
        const ep = user.start(ctx);
        return { first: (s) => add(() => ep.first(s)), reply: (t, s) => add(() => ep.reply(t, s)) };
      },
    },
  };
}

/** Time for the worlds alone: clone, ground-truth calls and verification of every task (no dialogue). */
function replayMs(suite: Suite): number {
  const t0 = nowMs();
  for (const task of suite.tasks) {
    const sandbox = new Sandbox(suite.template);
    for (const a of task.actions) sandbox.call(a.name, a.kwargs);
    suite.verifier.verify(sandbox, task, []);
    sandbox.close();
  }
  return nowMs() - t0;
}

export async function run(): Promise<void> {
  const rows: string[][] = [];
  for (const domain of DOMAIN_NAMES) {
    const suite = buildSuite(domain, TASKS);
    const clock = { ms: 0 };
    const { agent, user } = timed(new OracleAgent(), new ScriptedUser(), clock);
    const spec = (task: Task, trial: number) => ({ task, template: suite.template, verifier: suite.verifier, agent, user, policy: '', tools: [], trial, seed: trial });
    for (const task of suite.tasks) await runEpisode(spec(task, 0)); // warm-up; also caches ground truths
    clock.ms = 0;
    let episodes = 0;
    let turns = 0;
    let passed = 0;
    let wall = 0;
    let cpuMs = 0;
    let worldMs = 0;
    // Episode passes alternate with world-only passes over the same tasks, so both see the same
    // machine load; the loop's own cost is what remains (noisy: it is the small difference).
    for (let trial = 1; wall < SECONDS * 1000; trial++) {
      const cpu0 = process.cpuUsage();
      const t0 = nowMs();
      for (const task of suite.tasks) {
        const t = await runEpisode(spec(task, trial));
        episodes++;
        turns += t.steps.length;
        passed += t.reward;
      }
      wall += nowMs() - t0;
      const cpu = process.cpuUsage(cpu0);
      cpuMs += (cpu.user + cpu.system) / 1000;
      worldMs += replayMs(suite);
    }
    rows.push([
      domain,
      String(episodes),
      (passed / episodes).toFixed(3),
      ((episodes / wall) * 1000).toFixed(0),
      ((episodes / cpuMs) * 1000).toFixed(0),
      (turns / episodes).toFixed(1),
      ((wall * 1000) / turns).toFixed(1),
      ((clock.ms * 1000) / turns).toFixed(1),
      ((worldMs * 1000) / turns).toFixed(1),
      (((wall - clock.ms - worldMs) * 1000) / turns).toFixed(1),
    ]);
  }
  console.log('Episodes, oracle agent + scripted user (no model), one process:');
  console.log(formatTable(['domain', 'episodes', 'pass', 'episodes/s', 'episodes/cpu-s', 'turns/ep', 'µs/turn', 'dialogue µs/turn', 'world µs/turn', 'loop µs/turn'], rows));
}
