/** `tarl demo --eval-only`'s work, loaded once demo-run.ts has checked the flags and said what comes. */
import { join } from 'node:path';
import { createAgent } from '../../agents/registry.ts';
import { generateDataset } from '../../dataset/build.ts';
import { loadDataset } from '../../dataset/load.ts';
import type { Task } from '../../dataset/task.ts';
import { runEval } from '../../eval/run-eval.ts';
import { datasetSource, flawedAgentFor } from '../../eval/source.ts';
import { summarize } from '../../eval/summary.ts';
import { doNothingFloor } from '../../eval/floor.ts';
import { formatSummary, writeEvalOutputs } from '../../eval/write-results.ts';
import { judgeRun } from '../../judge/judge-run.ts';
import { OracleJudge } from '../../judge/oracle-judge.ts';
import { evalRunManifest } from '../../run/provenance.ts';
import { RunDir } from '../../run/run-dir.ts';
import { clearOwnOutput } from '../../run/output-dir.ts';
import { createUser } from '../../users/registry.ts';
import type { DemoOptions } from './demo.ts';

/**
 * `tarl demo --eval-only`: generate a world and tasks, evaluate the oracle and the flawed agent
 * against the scripted user, and adjudicate every turn of the flawed run with the oracle judge —
 * a whole TARL evaluation in seconds, with reports to open.
 */
export async function evalOnlyDemo(o: DemoOptions & { out: string }, data: string, generate: boolean): Promise<void> {
  const seed = Number(o.seed);
  const trials = Number(o.trials);
  const nTasks = Number(o.tasks);
  if (generate) generateDataset(data, { domain: o.domain, seed, tasks: nTasks, dev: 0, test: nTasks });
  const ds = loadDataset(data);
  const source = datasetSource(ds, 'test');
  const tasks = new Map<string, Task>(source.tasks.map((t) => [t.id, t]));
  for (const agentName of ['oracle', 'flawed'] as const) {
    const dir = join(o.out, `eval-${o.domain}-${agentName}`);
    clearOwnOutput(dir, 'run'); // each demo run starts afresh; a folder that is not a run is refused by RunDir.create
    const config = { command: 'demo', data, split: 'test', tasks: 'all', trials, seed, agent: agentName, user: 'scripted' };
    const run = RunDir.create(dir, evalRunManifest({ config, dataset: ds, seed }));
    const started = performance.now();
    const { summary, episodes } = await runEval({ run, source, agent: agentName === 'flawed' ? flawedAgentFor(source) : createAgent({ kind: agentName }), user: createUser('scripted'), trials, concurrency: 8, seed });
    const secs = (performance.now() - started) / 1000;
    const judged = await judgeRun(run, { judge: new OracleJudge(), tasks, policy: ds.policy, concurrency: 8 });
    const final = run.episodes().episodes;
    writeEvalOutputs(run, summarize(final, source.tasks.map((t) => t.id), trials), final, source.tasks, true, doNothingFloor(source));
    const neg = final.reduce((n, e) => n + (e.judge?.verdicts.filter((v) => v.score === -1).length ?? 0), 0);
    process.stdout.write(
      `\n== ${agentName} agent + scripted user on ${o.domain}: ${episodes.length} episodes in ${secs.toFixed(1)} s ==\n${formatSummary(summary)}\n` +
        `oracle judge: ${judged.judged} episodes adjudicated, ${neg} turns scored -1\nreport: ${run.path('report.html')}\n`,
    );
  }
}
