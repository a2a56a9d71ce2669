/**
 * `npm run bench:train`: one RL step of `tarl train` on the tiny preset (CPU), broken into
 * rollout, judge, forward/backward and optimizer, with throughput — each next to a baseline run
 * side by side:
 *   A. the same step with the prefix KV cache off (every turn re-prefills its whole context);
 *   B. forward/backward + optimizer over the step's exact batch: the service against a plain
 *      PyTorch loop (trainer/bench_plain.py --data);
 *   C. what a user would pick instead: TRL's GRPOTrainer on the same tiny model and a single-turn
 *      math task (level 0), same group size and batch, against `tarl train` on the same math task.
 *   D. synchronous against asynchronous rollouts (`async.enabled`, maxOffPolicySteps 1): seconds
 *      per step side by side. The CPU service runs sampling and training on one tensor thread, so
 *      the overlap is what runs outside it (episodes, renders, judge) and the interleaving of
 *      sample calls between training calls.
 * C needs .venv-bench (made here on first use from trainer/requirements-bench.txt).
 * TARL_BENCH_SECTIONS=D (a comma list of A–D) runs only those sections.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { z } from 'zod';
import { PolicyAgent } from '../agents/policy.ts';
import { generateDataset } from '../dataset/build.ts';
import { loadDataset } from '../dataset/load.ts';
import { datasetSource } from '../eval/source.ts';
import { OracleJudge } from '../judge/oracle-judge.ts';
import { generateMathTasks } from '../math/problems.ts';
import { REPO_ROOT } from '../paths.ts';
import { trainConfigSchema, type TrainConfigInput } from '../rl/config.ts';
import { assignCredit } from '../rl/credit.ts';
import { curriculumSchema, drawStep } from '../rl/curriculum.ts';
import { advantageConfigSchema } from '../rl/estimator-config.ts';
import { MATH_SYSTEM } from '../rl/math-episode.ts';
import { rewardShapingSchema } from '../rl/reward-shaping.ts';
import { collectRollouts } from '../rl/rollouts.ts';
import { startRuntime } from '../rl/runtime.ts';
import { buildItems, toData } from '../rl/train-batch.ts';
import { train } from '../rl/train.ts';
import { RunDir, type MetricsLine } from '../run/run-dir.ts';
import { defaultPython, startTrainer, type TrainerProcess } from '../trainer/process.ts';
import type { Datum } from '../trainer/types.ts';
import { createUser } from '../users/registry.ts';
import { formatTable } from './table.ts';

const STEP = { tasks: 8, group: 8, maxTurns: 6, maxTokens: 32, steps: 3 };
const exec = promisify(execFile);

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1]! + s[s.length >> 1]!) / 2 : NaN;
};

/** Runs `tarl train` for STEP.steps steps; returns the metrics lines after the first (warm-up) step. */
async function trainSteps(svc: TrainerProcess, dir: string, name: string, cfg: TrainConfigInput): Promise<MetricsLine[]> {
  const out = join(dir, name);
  await train({ config: trainConfigSchema.parse(cfg), out, service: svc });
  return RunDir.open(out).metrics().filter((l) => l.step > 0 && l['perf/step_s'] !== undefined);
}

const pick = (lines: MetricsLine[], key: string): number => median(lines.map((l) => l[key] ?? NaN));

async function ensureBenchVenv(): Promise<string> {
  const py = join(REPO_ROOT, '.venv-bench', 'bin', 'python');
  if (existsSync(py)) return py;
  process.stderr.write('bench:train: creating .venv-bench (torch, transformers, trl, datasets from the configured indexes)…\n');
  await exec('python3', ['-m', 'venv', join(REPO_ROOT, '.venv-bench')], { cwd: REPO_ROOT });
  await exec(join(REPO_ROOT, '.venv-bench', 'bin', 'pip'), ['install', '-q', '--retries', '0', '-r', 'trainer/requirements-bench.txt'], { cwd: REPO_ROOT, timeout: 1_200_000 });
  return py;
}

/** Sections to run: TARL_BENCH_SECTIONS (e.g. "A,D"), all by default. */
function sections(): Set<string> {
  const raw = process.env.TARL_BENCH_SECTIONS;
  const all = ['A', 'B', 'C', 'D'];
  if (!raw) return new Set(all);
  const picked = raw.split(',').map((x) => x.trim().toUpperCase());
  const bad = picked.filter((x) => !all.includes(x));
  if (bad.length) throw new Error(`TARL_BENCH_SECTIONS: unknown section ${bad.join(', ')} (sections: ${all.join(', ')})`);
  return new Set(picked);
}

export async function run(): Promise<void> {
  const only = sections();
  const dir = mkdtempSync(join(tmpdir(), 'tarl-bench-train-'));
  const svc = await startTrainer({ threads: 2 });
  try {
    const data = join(dir, 'data');
    generateDataset(data, { domain: 'starter', seed: 1, tasks: 64, dev: 0, test: 2, singleRequest: true });
    const base: TrainConfigInput = {
      seed: 1, steps: STEP.steps, data: { dir: data },
      model: { base: { preset: 'tiny' } },
      sampler: { maxTokens: STEP.maxTokens },
      rollout: { groupSize: STEP.group, concurrency: STEP.tasks * STEP.group, maxTurns: STEP.maxTurns },
      curriculum: { tasksPerStep: STEP.tasks },
      optim: { lr: 1e-4 },
      eval: { every: 0 },
      checkpoint: { every: 100, keep: 1 },
    };

    if (only.has('A')) {
      // ---- A. one TARL step, prefix cache on and off ---------------------------------------------------
      const on = await trainSteps(svc, dir, 'cache-on', base);
      const off = await trainSteps(svc, dir, 'cache-off', { ...base, model: { base: { preset: 'tiny' }, kvCacheTokens: 0 } });
      const rows = [
        ['step (s)', 'perf/step_s'],
        ['  rollouts (s)', 'perf/rollout_s'],
        ['  of which judge (s, summed)', 'perf/judge_s'],
        ['  forward/backward (s)', 'perf/fb_s'],
        ['  optimizer (s)', 'perf/optim_s'],
        ['sampled tokens / s', 'perf/sample_tokens_per_s'],
        ['trained tokens / s (forward/backward)', 'perf/train_tokens_per_s'],
      ].map(([label, key]) => {
        const a = pick(on, key!);
        const b = pick(off, key!);
        return [label!, a.toFixed(3), b.toFixed(3), (key!.endsWith('_per_s') ? a / b : b / a).toFixed(2)];
      });
      console.log(`\nbench:train — one TARL-GRPO step on the tiny preset, ${STEP.tasks} starter tasks × G ${STEP.group}, ≤ ${STEP.maxTurns} turns of ≤ ${STEP.maxTokens} tokens, scripted user, oracle judge (median of ${STEP.steps - 1} steps after a warm-up; load average ${loadavg()[0]!.toFixed(2)})`);
      console.log(formatTable(['', 'prefix cache on', 'off (baseline)', 'speed-up'], rows));
    }

    if (only.has('B')) {
      // ---- B. the step's batch: service vs a plain PyTorch loop ------------------------------------------
      const stepData = join(dir, 'step.json');
      const { items, service } = await stepBatch(svc, data, base);
      writeFileSync(stepData, JSON.stringify(items));
      const { stdout } = await exec(defaultPython(), ['-m', 'trainer.bench_plain', '--data', stepData, '--steps', '3', '--threads', '2'], { cwd: REPO_ROOT, timeout: 600_000 });
      const plain = z.object({ step_seconds: z.number(), tokens_per_s: z.number() }).parse(JSON.parse(stdout.trim().split('\n').at(-1)!));
      console.log(`\nforward/backward + optimizer step over that step's batch (${items.length} sequences, ${items.reduce((a, d) => a + d.input_ids.length, 0)} tokens)`);
      console.log(formatTable(['', 'service', 'plain PyTorch', 'service/plain'], [
        ['seconds', service.toFixed(3), plain.step_seconds.toFixed(3), (plain.step_seconds / service).toFixed(2)],
      ]));
    }

    if (only.has('C')) {
      // ---- C. single-turn math: tarl train vs TRL's GRPOTrainer --------------------------------------------
      // REINFORCE++ keeps groups whose rewards are all equal (GRPO drops them, and the random tiny
      // model scores 0 on every problem), so every step trains on all 64 sequences, as TRL's does.
      const math = await trainSteps(svc, dir, 'math', { ...base, curriculum: { tasksPerStep: STEP.tasks, math: { ratio: 1, levels: [0] } }, advantage: { estimator: 'reinforce_pp' } });
      const prompts = join(dir, 'prompts.jsonl');
      writeFileSync(prompts, await mathPrompts(svc));
      let trl: { seconds_per_step: number; completion_tokens_per_s: number; trl_version: string } | undefined;
      try {
        const py = await ensureBenchVenv();
        const r = await exec(py, ['-m', 'trainer.bench_trl', '--prompts', prompts, '--group', String(STEP.group), '--tasks', String(STEP.tasks), '--steps', String(STEP.steps), '--max-tokens', String(STEP.maxTokens)], { cwd: REPO_ROOT, timeout: 1_200_000 });
        trl = z.object({ seconds_per_step: z.number(), completion_tokens_per_s: z.number(), trl_version: z.string() }).parse(JSON.parse(r.stdout.trim().split('\n').at(-1)!));
      } catch (e) {
        console.log(`\nTRL comparison not run: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      }
      if (trl) {
        console.log(`\nsingle-turn math (level 0), tiny preset, ${STEP.tasks} prompts × G ${STEP.group}, ≤ ${STEP.maxTokens} tokens (median step after a warm-up)`);
        console.log(formatTable(['', 'tarl train', `TRL ${trl.trl_version} GRPOTrainer`, 'tarl/TRL speed'], [
          ['seconds per step', pick(math, 'perf/step_s').toFixed(2), trl.seconds_per_step.toFixed(2), (trl.seconds_per_step / pick(math, 'perf/step_s')).toFixed(2)],
          ['sampled tokens / s', pick(math, 'perf/sample_tokens_per_s').toFixed(0), trl.completion_tokens_per_s.toFixed(0), (pick(math, 'perf/sample_tokens_per_s') / trl.completion_tokens_per_s).toFixed(2)],
        ]));
      }
    }

    // ---- D. synchronous vs asynchronous rollouts ------------------------------------------------------
    if (only.has('D')) {
      const steps = STEP.steps;
      const sync = await trainSteps(svc, dir, 'sync', base);
      const asyncLines = await trainSteps(svc, dir, 'async', { ...base, async: { enabled: true, maxOffPolicySteps: 1 } });
      const total = (ls: MetricsLine[]): number => ls.reduce((a, l) => a + (l['perf/step_s'] ?? 0), 0);
      console.log(`\nsynchronous vs asynchronous rollouts (async.maxOffPolicySteps 1), same config, ${steps} steps; median of steps 1–${steps - 1}, total of the same steps (load average ${loadavg()[0]!.toFixed(2)})`);
      console.log(formatTable(['', 'synchronous', 'asynchronous', 'sync/async'], [
        ...[
          ['step (s, median)', 'perf/step_s'],
          ['  waiting for rollouts (s)', 'perf/rollout_s'],
          ['  training: recompute + fb + optim (s)', 'perf/train_s'],
        ].map(([label, key]) => [label!, pick(sync, key!).toFixed(2), pick(asyncLines, key!).toFixed(2), (pick(sync, key!) / pick(asyncLines, key!)).toFixed(2)]),
        [`steps 1–${steps - 1} (s, total)`, total(sync).toFixed(1), total(asyncLines).toFixed(1), (total(sync) / total(asyncLines)).toFixed(2)],
        ['staleness of trained groups (max)', '0', String(Math.max(...asyncLines.map((l) => l['async/staleness_max'] ?? NaN))), ''],
      ]));
    }
  } finally {
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One step's rollouts turned into the service's data, and the service's fb + optimizer time on it. */
async function stepBatch(svc: TrainerProcess, data: string, base: TrainConfigInput): Promise<{ items: Datum[]; service: number }> {
  const cfg = trainConfigSchema.parse(base);
  const runtime = await startRuntime({ model: { preset: 'tiny' }, lora: null, dtype: 'float32', device: 'cpu', critic: 'none', threads: 2, seed: 1, reference: false, optimizer: { lr: 1e-4 }, sampler: { kind: 'service' }, service: svc });
  try {
    const ds = loadDataset(data);
    const agent = new PolicyAgent(runtime.renderer, runtime.sampler, { temperature: 1, maxTokens: cfg.sampler.maxTokens });
    const groups = await collectRollouts(drawStep(curriculumSchema.parse({ tasksPerStep: STEP.tasks }), ds.tasks.get('train')!, 1, 0), {
      source: datasetSource(ds, 'train'), agent, user: createUser('scripted'), judge: new OracleJudge(), groupSize: STEP.group, concurrency: 64, maxTurns: STEP.maxTurns, seed: 1, step: 0,
    });
    const rollouts = groups.map((g) => g.rollouts);
    // Every rollout trains (advantages from the TARL reward without dropping), so the batch is full-size.
    const credit = assignCredit(rollouts, rewardShapingSchema.parse({}), advantageConfigSchema.parse({ estimator: 'reinforce_pp' }));
    const items = toData(buildItems(rollouts, credit.credits, { maskUnparsed: false }).items, { mode: 'token_mean' });
    const times: number[] = [];
    for (let i = 0; i < 4; i++) {
      const t0 = performance.now();
      await runtime.client.forwardBackward(runtime.sessionId, items, { kind: 'ppo', normalize: 'sum' });
      await runtime.client.optimStep(runtime.sessionId);
      if (i > 0) times.push((performance.now() - t0) / 1000);
    }
    return { items, service: Math.min(...times) };
  } finally {
    await runtime.stop();
  }
}

/** The math prompts as rendered text (our chat format), so TRL sees the tokens our sampler sees. */
async function mathPrompts(svc: TrainerProcess): Promise<string> {
  const { session_id: sid } = await svc.client.createSession({ model: { preset: 'tiny' } });
  try {
    const lines: string[] = [];
    for (const t of generateMathTasks('bench', 0, 64)) {
      const r = await svc.client.render(sid, { messages: [{ role: 'system', content: MATH_SYSTEM }, { role: 'user', content: t.question }], generation_prompt: true });
      const text = (await svc.client.decode(sid, [r.ids])).texts[0]!;
      lines.push(JSON.stringify({ prompt: text, answer: t.answer }));
    }
    return lines.join('\n') + '\n';
  } finally {
    await svc.client.deleteSession(sid);
  }
}
