import { join } from 'node:path';
import { createAgent } from '../agents/registry.ts';
import type { Dataset } from '../dataset/load.ts';
import type { Task } from '../dataset/task.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import { runEval } from '../eval/run-eval.ts';
import { datasetSource, flawedAgentFor } from '../eval/source.ts';
import { RunDir, type RunManifest } from '../run/run-dir.ts';
import { createUser } from '../users/registry.ts';
import { forEachPooled } from '../util/pool.ts';
import { judgeBenchFigures, type JudgeBenchFigures, type JudgeBenchItem } from './bench-metrics.ts';
import type { Judge } from './judge.ts';
import { OracleJudge } from './oracle-judge.ts';

export interface JudgeBenchOptions {
  dataset: Dataset;
  split: string;
  indices?: readonly number[];
  judge: Judge;
  out: string;
  manifest: (agent: string) => RunManifest;
  seed: number;
  concurrency: number;
  signal?: AbortSignal;
}

/**
 * The judge benchmark: episodes produced through the real loop by the `flawed` agent (one
 * injected mistake at a recorded turn) and by the `oracle` agent (clean), both with the scripted
 * user, kept as two run directories under `out`; then every episode is judged by the judge under
 * test and by the oracle judge (the agreement reference). Injection records never reach judges.
 */
export async function judgeBench(o: JudgeBenchOptions): Promise<{ figures: JudgeBenchFigures; items: JudgeBenchItem[] }> {
  const source = datasetSource(o.dataset, o.split, o.indices);
  const user = createUser('scripted');
  const corpus: { kind: 'flawed' | 'clean'; episodes: Trajectory[] }[] = [];
  for (const kind of ['flawed', 'clean'] as const) {
    const agentName = kind === 'flawed' ? 'flawed' : 'oracle';
    const dir = join(o.out, kind);
    let run: RunDir;
    try {
      run = RunDir.open(dir);
    } catch {
      run = RunDir.create(dir, o.manifest(agentName));
    }
    const { episodes } = await runEval({
      run, source, agent: kind === 'flawed' ? flawedAgentFor(source) : createAgent({ kind: agentName }), user, trials: 1, concurrency: o.concurrency, seed: o.seed,
      ...(o.signal && { signal: o.signal }),
    });
    corpus.push({ kind, episodes });
  }
  const tasks = new Map<string, Task>(source.tasks.map((t) => [t.id, t]));
  const reference = new OracleJudge();
  const items: JudgeBenchItem[] = [];
  const all = corpus.flatMap((c) => c.episodes.map((e) => ({ clean: c.kind === 'clean', e })));
  await forEachPooled(
    all,
    o.concurrency,
    async ({ clean, e }) => {
      const input = { task: tasks.get(e.taskId)!, policy: o.dataset.policy, trajectory: e };
      const [record, ref] = await Promise.all([o.judge.judge(input, o.signal), reference.judge(input)]);
      const inj = e.injection as { kind?: string; turn?: number } | undefined;
      // An injection that never fired (the episode ended first) leaves a clean episode.
      const fired = !clean && inj?.kind && inj.kind !== 'none' && typeof inj.turn === 'number';
      return { kind: fired ? inj!.kind! : 'clean', injectedTurn: fired ? inj!.turn! : null, record, reference: ref.verdicts };
    },
    (item) => {
      items.push(item);
    },
    o.signal,
  );
  return { figures: judgeBenchFigures(items), items };
}
