/**
 * `npm run bench:learn` (not in CI; about an hour on 2 cores): does turn-level adjudication help?
 * From one SFT checkpoint of the embedded demo (starter world, seed 1), paired RL runs:
 *   outcome-only GRPO and TARL-GRPO over 3 seeds each;
 *   turn-level advantages (MT-GRPO), GiGPO, PPO with GAE (a separate critic), and TARL with the
 *   turn scores summed instead of averaged — 1 seed each.
 * Every run is evaluated on the same held-out tasks (another world) at the same steps. The report
 * (runs/bench-learn/report.html) plots held-out pass^1 over write tasks against steps and against
 * wall time, the episode length (`env/steps`, where length hacking would show), and tabulates per
 * seed the paired difference TARL − outcome with its bootstrap interval — whatever it shows.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoConfigSchema, type DemoConfig } from '../demo/config.ts';
import { demoRlConfig, runDemoStages } from '../demo/pipeline.ts';
import { loadDataset } from '../dataset/load.ts';
import { bootstrapDiff } from '../eval/compare.ts';
import { escapeHtml } from '../eval/report/escape.ts';
import { STYLE } from '../eval/report/html.ts';
import { curveChart, type Series } from '../eval/report/svg.ts';
import { summarize } from '../eval/summary.ts';
import { REPO_ROOT } from '../paths.ts';
import { trainConfigSchema, type TrainConfigInput } from '../rl/config.ts';
import { merge } from '../rl/overrides.ts';
import { scorePolicy } from '../rl/policy-eval.ts';
import { train } from '../rl/train.ts';
import { RunDir, type MetricsLine } from '../run/run-dir.ts';
import { startTrainer } from '../trainer/process.ts';
import { needsWrite } from '../verify/task-writes.ts';
import { formatTable } from './table.ts';

interface Variant {
  name: string;
  seed: number;
  config: Partial<TrainConfigInput>;
}

const SEEDS = [1, 2, 3];
const VARIANTS: Variant[] = [
  ...SEEDS.flatMap((seed): Variant[] => [
    { name: 'outcome-GRPO', seed, config: { reward: { mode: 'outcome' } } },
    { name: 'TARL-GRPO', seed, config: { reward: { mode: 'tarl' } } },
  ]),
  { name: 'TARL turn-level', seed: 1, config: { reward: { mode: 'outcome' }, advantage: { estimator: 'turn' } } },
  { name: 'TARL GiGPO', seed: 1, config: { reward: { mode: 'turn' }, advantage: { estimator: 'gigpo' } } },
  { name: 'TARL PPO-GAE', seed: 1, config: { model: { critic: 'separate' }, advantage: { estimator: 'gae' } } },
  { name: 'TARL-GRPO, sum of scores', seed: 1, config: { reward: { mode: 'tarl', aggregation: 'sum', lambda: 1 } } },
];

export async function run(): Promise<void> {
  const out = process.env.TARL_BENCH_LEARN_OUT ?? join(REPO_ROOT, 'runs', 'bench-learn');
  mkdirSync(out, { recursive: true });
  const demo: DemoConfig = demoConfigSchema.parse({ seed: 1 });
  const svc = await startTrainer({ threads: demo.threads });
  try {
    // One SFT checkpoint for every run: the demo's data, tokenizer and SFT stages.
    const { dataDir, sftCheckpoint } = await runDemoStages({ config: demo, out: join(out, 'demo'), service: svc, onProgress: (p) => process.stderr.write(`[bench:learn ${p.stage}] ${p.detail}\n`) });
    // 12 steps (the demo runs 24) keep ten runs inside the hour on 2 cores.
    const steps = Number(process.env.TARL_BENCH_LEARN_STEPS ?? 12);
    const every = Math.max(1, Math.round(steps / 2));
    const baselines = new Map<number, string>(); // seed → the run directory holding its step-0 eval
    const results: Result[] = [];
    for (const v of VARIANTS) {
      const dir = join(out, `${v.name.replace(/[^A-Za-z0-9]+/g, '-')}-s${v.seed}`);
      // The demo's RL stage (reward formula, KL anchor, optimizer), shorter, with its own evals and
      // without the math tasks; each variant sets its reward mode and estimator on top.
      const base = merge(demoRlConfig({ ...demo, seed: v.seed }, dataDir, sftCheckpoint), {
        steps,
        curriculum: { math: { ratio: 0 } },
        // The SFT checkpoint's eval is the same for every variant of a seed: the first one runs it.
        eval: { every, atStart: !baselines.has(v.seed), trials: 1 },
      });
      const config = trainConfigSchema.parse(merge(base, v.config));
      const done = RunDir.exists(dir) && RunDir.open(dir).metrics().some((l) => l.step === steps && l['eval/pass1'] !== undefined);
      if (!done) {
        process.stderr.write(`[bench:learn] ${v.name} seed ${v.seed}\n`);
        await train({ config, out: dir, resume: RunDir.exists(dir), service: svc });
      }
      if (!baselines.has(v.seed)) baselines.set(v.seed, dir);
      const baseDir = baselines.get(v.seed)!;
      results.push({ v, dir, base: baseDir, lines: withBaseline(RunDir.open(dir).metrics(), RunDir.open(baseDir).metrics()) });
    }
    report(out, dataDir, steps, results);
  } finally {
    await svc.stop();
  }
}

/** A run's metrics with the shared step-0 eval of its seed put on its step-0 line (curves start there). */
function withBaseline(lines: MetricsLine[], base: MetricsLine[]): MetricsLine[] {
  const evals0 = Object.fromEntries(Object.entries(base.find((l) => l.step === 0 && l['eval/pass1'] !== undefined) ?? {}).filter(([k]) => k.startsWith('eval/')));
  return lines.map((l) => (l.step === 0 ? { ...evals0, ...l } : l));
}

interface Result {
  v: Variant;
  dir: string;
  /** The run of the same seed that evaluated the SFT checkpoint (step 0). */
  base: string;
  lines: MetricsLine[];
}

function report(out: string, dataDir: string, steps: number, results: Result[]): void {
  const ds = loadDataset(dataDir);
  const tasks = (ds.tasks.get('test') ?? []).slice(0, demoConfigSchema.parse({}).eval.tasks);
  const write = new Set(tasks.filter(needsWrite).map((t) => t.id));
  const final = (dir: string) => {
    const eps = RunDir.open(join(dir, 'evals', `step-${steps}`)).episodes().episodes;
    const s = summarize(eps, tasks.map((t) => t.id), 1);
    return { perTask: s.perTask.filter((t) => write.has(t.taskId)), score: scorePolicy(eps, tasks, 1) };
  };
  const start = (dir: string) => scorePolicy(RunDir.open(join(dir, 'evals', 'step-0')).episodes().episodes, tasks, 1).pass1Write ?? 0;
  const rows = results.map(({ v, dir, base, lines }) => {
    const f = final(dir).score;
    const sft = start(base);
    const wall = lines.reduce((a, l) => a + (l['perf/step_s'] ?? 0), 0);
    const steps_ = lines.filter((l) => l['env/steps'] !== undefined);
    return [v.name, String(v.seed), sft.toFixed(3), (f.pass1Write ?? 0).toFixed(3), ((f.pass1Write ?? 0) - sft).toFixed(3), (steps_[0]?.['env/steps'] ?? 0).toFixed(2), (steps_.at(-1)?.['env/steps'] ?? 0).toFixed(2), wall.toFixed(0)];
  });
  const table = formatTable(['variant', 'seed', 'pass1_write SFT', 'after RL', 'gain', 'env/steps first', 'last', 'train s'], rows);
  const paired = SEEDS.map((seed) => {
    const a = results.find((r) => r.v.name === 'outcome-GRPO' && r.v.seed === seed)!;
    const b = results.find((r) => r.v.name === 'TARL-GRPO' && r.v.seed === seed)!;
    let s = seed;
    const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const d = bootstrapDiff(final(a.dir).perTask, final(b.dir).perTask, rand, 10_000);
    return [String(seed), d.a.toFixed(3), d.b.toFixed(3), `${d.delta >= 0 ? '+' : ''}${d.delta.toFixed(3)}`, `[${d.ci[0].toFixed(3)}, ${d.ci[1].toFixed(3)}]`];
  });
  const pairedTable = formatTable(['seed', 'outcome-GRPO', 'TARL-GRPO', 'TARL − outcome', '95% CI (paired bootstrap over tasks)'], paired);
  console.log(`\nbench:learn — held-out pass^1 over write tasks (${write.size} of ${tasks.length} tasks), ${steps} RL steps from one SFT checkpoint\n${table}\n\n${pairedTable}`);
  const colors = ['#4a78c2', '#c2474a', '#2e9d4f', '#8a6fc2', '#c28a2e', '#2eaac2', '#777'];
  const byName = [...new Set(results.map((r) => r.v.name))];
  const series = (key: string, x: (l: MetricsLine, i: number, all: MetricsLine[]) => number): Series[] =>
    results.map((r) => ({
      name: `${r.v.name} s${r.v.seed}`,
      color: colors[byName.indexOf(r.v.name) % colors.length]!,
      points: r.lines.flatMap((l, i, all): [number, number][] => (l[key] === undefined ? [] : [[x(l, i, all), l[key]]])),
    }));
  const wallAt = (l: MetricsLine, i: number, all: MetricsLine[]): number => all.slice(0, i).reduce((a, m) => a + (m['perf/step_s'] ?? 0), 0);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><title>bench:learn</title><style>${STYLE}</style></head><body>
<h1>bench:learn — outcome-only vs turn-level adjudicated RL</h1>
<pre>${escapeHtml(table)}\n\n${escapeHtml(pairedTable)}</pre>
<div class="plots">${curveChart('held-out pass^1 (write tasks) by step', series('eval/pass1_write', (l) => l.step), { xLabel: 'RL step', y: [0, 1] })}
${curveChart('held-out pass^1 (write tasks) by wall time', series('eval/pass1_write', wallAt), { xLabel: 'seconds of training', y: [0, 1] })}
${curveChart('episode length (env/steps)', series('env/steps', (l) => l.step), { xLabel: 'RL step' })}
${curveChart('shaped reward', series('reward/mean', (l) => l.step), { xLabel: 'RL step' })}</div>
</body></html>\n`;
  if (!existsSync(out)) mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'report.html'), html);
  console.log(`report: ${join(out, 'report.html')}`);
}
