/**
 * `tarl sft`: supervised warm start on demonstrations — the oracle agent with the scripted user on
 * the train split — rendered by the same service renderer the RL loop samples through (one chat
 * format), batched by tokens, cross-entropy on the agent's tokens only. Held-out loss (on the
 * demonstrations of the eval split) and held-out pass^1 (the policy itself, through the eval
 * module) every N steps; checkpoints the RL loop and `tarl eval` take; resumable after a crash
 * with the same data order.
 */
import { toRenderMessages } from '../voice/render.ts';
import { join } from 'node:path';
import { z } from 'zod';
import { OracleAgent } from '../agents/oracle.ts';
import { loadDataset } from '../dataset/load.ts';
import { runEpisodes } from '../episode/run-many.ts';
import type { ChatMessage } from '../chat/messages.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import { episodeSeed, type EvalSource } from '../eval/run-eval.ts';
import { datasetSource } from '../eval/source.ts';
import { Rng } from '../generate/prng.ts';
import { generateMathTasks } from '../math/problems.ts';
import { RunDir } from '../run/run-dir.ts';
import type { TrainerClient } from '../trainer/client.ts';
import type { TrainerProcess } from '../trainer/process.ts';
import type { Datum } from '../trainer/types.ts';
import { createUser } from '../users/registry.ts';
import { assertSameConfig, saveCheckpoint } from './checkpoints.ts';
import { modelSourceSchema } from './config.ts';
import { permutation } from './curriculum.ts';
import { MATH_SYSTEM } from './math-episode.ts';
import { evaluatePolicy, type PolicyEvalResult } from './policy-eval.ts';
import { startRuntime } from './runtime.ts';
import { trainManifest } from './train-manifest.ts';

export const sftConfigSchema = z
  .object({
    seed: z.number().int().nonnegative().default(0),
    steps: z.number().int().positive().default(300).describe('optimizer steps (each one batch of about batchTokens tokens)'),
    data: z
      .object({
        dir: z.string().min(1),
        split: z.string().default('train'),
        tasks: z.number().int().positive().optional().describe('demonstrate the first N tasks (default all)'),
        math: z
          .object({ count: z.number().int().nonnegative().default(0), level: z.number().int().min(0).max(3).default(0) })
          .strict()
          .prefault({})
          .describe('worked math solutions mixed into the demonstrations (the RL curriculum mixes math in too)'),
      })
      .strict(),
    model: z
      .object({
        base: modelSourceSchema.default({ preset: 'tiny' }),
        dtype: z.enum(['float32', 'bfloat16', 'float16']).default('float32'),
        device: z.string().default('cpu'),
        threads: z.number().int().positive().default(2),
      })
      .strict()
      .prefault({}),
    optim: z
      .object({
        lr: z.number().positive().default(3e-3),
        batchTokens: z.number().int().positive().default(4096).describe('tokens per batch (whole demonstrations, packed greedily)'),
        warmupSteps: z.number().int().nonnegative().default(20),
        schedule: z.enum(['constant', 'linear', 'cosine']).default('cosine'),
        minRatio: z.number().min(0).max(1).default(0.1),
        gradClip: z.number().positive().nullable().default(1),
      })
      .strict()
      .prefault({}),
    eval: z
      .object({
        every: z.number().int().nonnegative().default(100).describe('held-out loss and pass^1 every N steps (not before the first) and at the end; 0 = only at the end'),
        split: z.string().default('test'),
        tasks: z.number().int().positive().default(50),
        trials: z.number().int().positive().default(1),
        temperature: z.number().min(0).default(1),
        maxTokens: z.number().int().positive().default(64),
        maxTurns: z.number().int().positive().default(12),
        concurrency: z.number().int().positive().default(64),
        pass1: z.boolean().default(true).describe('also run the policy on the held-out tasks (pass^1), not only the loss'),
      })
      .strict()
      .prefault({}),
    checkpoint: z.object({ every: z.number().int().positive().default(100), keep: z.number().int().positive().default(2) }).strict().prefault({}),
  })
  .strict();
export type SftConfig = z.infer<typeof sftConfigSchema>;

export interface SftProgress {
  stage: 'demos' | 'train' | 'eval' | 'done';
  step: number;
  steps: number;
  loss?: number;
  pass1?: number;
}

export interface SftResult {
  run: RunDir;
  finalCheckpoint: string;
  evals: Map<number, { loss: number; policy?: PolicyEvalResult }>;
}

/** Oracle demonstrations (one per task) with the scripted user, through the real episode loop. */
export async function demonstrations(source: EvalSource, seed: number, maxTurns = 30): Promise<Trajectory[]> {
  const agent = new OracleAgent();
  const user = createUser('scripted');
  const specs = source.tasks.map((task) => {
    const { template, verifier } = source.world(task);
    return { task, template, verifier, agent, user, policy: source.policy, tools: source.tools, trial: 0, seed: episodeSeed(seed, task.id, 0), maxSteps: maxTurns };
  });
  const out = await runEpisodes(specs, { concurrency: 32 });
  const bad = out.find((t) => t.reward < 1);
  if (bad) throw new Error(`oracle demonstration of ${bad.taskId} did not succeed (${bad.termination}${bad.error ? `: ${bad.error}` : ''}); the dataset or the oracle is broken`);
  const order = new Map(source.tasks.map((t, i) => [t.id, i]));
  return out.sort((a, b) => order.get(a.taskId)! - order.get(b.taskId)!);
}

/** Renders conversations with the service's renderer (in requests of 256): ids and the mask of the agent's tokens. */
export async function renderDemos(client: TrainerClient, sessionId: string, demos: readonly { messages: ChatMessage[]; tools?: readonly unknown[] }[]): Promise<{ ids: number[]; mask: number[] }[]> {
  const out: { ids: number[]; mask: number[] }[] = [];
  for (let i = 0; i < demos.length; i += 256) {
    const items = demos.slice(i, i + 256).map((d) => ({ messages: toRenderMessages(d.messages, undefined), ...(d.tools && d.tools.length > 0 && { tools: [...d.tools] }), generation_prompt: false, continuation: false }));
    out.push(...(await client.renderBatch(sessionId, items)));
  }
  return out;
}

/** Worked math solutions as one-turn conversations (the RL loop's math episodes, answered). */
export function mathDemos(seed: number, level: number, count: number): { messages: ChatMessage[] }[] {
  return generateMathTasks(`sft/${seed}`, level, count).map((m) => ({
    messages: [
      { role: 'system', content: MATH_SYSTEM },
      { role: 'user', content: m.question },
      { role: 'assistant', content: m.solution },
    ],
  }));
}

/** Greedy packing of whole sequences (in the given order) into batches of at most `budget` tokens. */
export function packByTokens(lengths: readonly number[], order: readonly number[], budget: number): number[][] {
  const batches: number[][] = [];
  let cur: number[] = [];
  let used = 0;
  for (const i of order) {
    const n = lengths[i]!;
    if (cur.length > 0 && used + n > budget) {
      batches.push(cur);
      cur = [];
      used = 0;
    }
    cur.push(i);
    used += n;
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}

const datum = (s: { ids: number[]; mask: number[] }): Datum => ({ input_ids: s.ids.slice(0, -1), target_ids: s.ids.slice(1), weights: s.mask.slice(1) });

export async function sft(o: { config: SftConfig; out: string; resume?: boolean; service?: TrainerProcess; signal?: AbortSignal; onProgress?: (p: SftProgress) => void }): Promise<SftResult> {
  const cfg = o.config;
  const progress = (p: Omit<SftProgress, 'steps'>): void => o.onProgress?.({ ...p, steps: cfg.steps });

  // ---- setup ----------------------------------------------------------------------------------
  const dataset = loadDataset(cfg.data.dir);
  const all = dataset.tasks.get(cfg.data.split);
  if (!all) throw new Error(`dataset ${cfg.data.dir} has no split '${cfg.data.split}'`);
  const source = datasetSource(dataset, cfg.data.split, cfg.data.tasks ? [...Array(Math.min(cfg.data.tasks, all.length)).keys()] : undefined);
  const evalAll = dataset.tasks.get(cfg.eval.split);
  if (!evalAll) throw new Error(`dataset ${cfg.data.dir} has no eval split '${cfg.eval.split}'`);
  const evalSource = datasetSource(dataset, cfg.eval.split, [...Array(Math.min(cfg.eval.tasks, evalAll.length)).keys()]);
  const run = o.resume ? RunDir.open(o.out) : RunDir.create(o.out, trainManifest('sft', cfg, dataset, { base: cfg.model.base, loss: 'cross_entropy, token mean per batch' }));
  if (o.resume) assertSameConfig(run, cfg);
  const resumeFrom = o.resume ? run.latestCheckpoint() : undefined;
  const start = resumeFrom?.state.step ?? 0;
  if (o.resume) run.truncateSteps(start);

  const runtime = await startRuntime({
    model: cfg.model.base, lora: null, dtype: cfg.model.dtype, device: cfg.model.device, critic: 'none', threads: cfg.model.threads, seed: cfg.seed, reference: false,
    sampler: { kind: 'service' },
    optimizer: { lr: cfg.optim.lr, grad_clip: cfg.optim.gradClip, schedule: { kind: cfg.optim.schedule, warmup_steps: cfg.optim.warmupSteps, total_steps: cfg.steps, min_ratio: cfg.optim.minRatio } },
    ...(o.service && { service: o.service }),
  });
  const { client, sessionId } = runtime;
  const evals: SftResult['evals'] = new Map();
  try {
    await client.exportTokenizer(sessionId, run.path('tokenizer.json')); // for tarl view
    if (resumeFrom) await client.load(sessionId, resumeFrom.path, true);

    // ---- demonstrations, rendered once ------------------------------------------------------------
    progress({ stage: 'demos', step: start });
    const withTools = (ts: readonly Trajectory[], tools: readonly unknown[]) => ts.map((t) => ({ messages: t.messages, tools }));
    const train = await renderDemos(client, sessionId, [...withTools(await demonstrations(source, cfg.seed), source.tools), ...mathDemos(cfg.seed, cfg.data.math.level, cfg.data.math.count)]);
    const held = (await renderDemos(client, sessionId, withTools(await demonstrations(evalSource, cfg.seed), evalSource.tools))).map(datum);
    const lengths = train.map((s) => s.ids.length);
    const batchesOfEpoch = (epoch: number): number[][] => packByTokens(lengths, permutation(train.length, new Rng(`sft/${cfg.seed}/epoch/${epoch}`)), cfg.optim.batchTokens);
    // Step s takes the s-th batch of the concatenated epochs: a pure function of (seed, s).
    const batchAt = (() => {
      const cache = new Map<number, number[][]>();
      return (step: number): number[] => {
        let s = step;
        for (let epoch = 0; ; epoch++) {
          if (!cache.has(epoch)) cache.set(epoch, batchesOfEpoch(epoch));
          const b = cache.get(epoch)!;
          if (s < b.length) return b[s]!;
          s -= b.length;
        }
      };
    })();
    const user = createUser('scripted');
    const heldOut = async (step: number): Promise<Record<string, number>> => {
      progress({ stage: 'eval', step });
      const fwd = await client.forward(sessionId, held);
      let nll = 0;
      let n = 0;
      fwd.logprobs.forEach((lp, d) => lp.forEach((x, i) => {
        if ((held[d]!.weights![i] ?? 0) > 0) {
          nll -= x;
          n++;
        }
      }));
      const loss = n ? nll / n : 0;
      const out: Record<string, number> = { 'eval/loss': loss };
      let policy: PolicyEvalResult | undefined;
      if (cfg.eval.pass1) {
        policy = await evaluatePolicy({
          runtime, dataset, source: evalSource, user, dir: run.path(join('evals', `step-${step}`)), trials: cfg.eval.trials, temperature: cfg.eval.temperature,
          maxTokens: cfg.eval.maxTokens, concurrency: cfg.eval.concurrency, maxTurns: cfg.eval.maxTurns, seed: cfg.seed,
          config: { command: 'sft-eval', step, split: cfg.eval.split, tasks: cfg.eval.tasks, trials: cfg.eval.trials, temperature: cfg.eval.temperature },
        });
        out['eval/pass1'] = policy.pass1;
        out['eval/floor'] = policy.floor;
        if (policy.pass1Write !== null) out['eval/pass1_write'] = policy.pass1Write;
      }
      evals.set(step, { loss, ...(policy && { policy }) });
      progress({ stage: 'eval', step, loss, ...(policy && { pass1: policy.pass1 }) });
      return out;
    };

    // ---- the loop ---------------------------------------------------------------------------------
    for (let step = start; step < cfg.steps; step++) {
      o.signal?.throwIfAborted();
      const line: Record<string, number> = cfg.eval.every > 0 && step > 0 && step % cfg.eval.every === 0 ? await heldOut(step) : {};
      const batch = batchAt(step).map((i) => datum(train[i]!));
      const t0 = performance.now();
      const fb = await client.forwardBackward(sessionId, batch, { kind: 'cross_entropy', normalize: 'token_mean' });
      const opt = await client.optimStep(sessionId);
      const secs = (performance.now() - t0) / 1000;
      const tokens = batch.reduce((a, d) => a + d.input_ids.length, 0);
      Object.assign(line, {
        'loss/train': fb.metrics['loss/total'] ?? NaN, 'optim/grad_norm': opt.metrics.grad_norm ?? NaN, 'optim/lr': opt.metrics.lr ?? NaN,
        'perf/tokens': tokens, 'perf/tokens_per_s': tokens / secs, 'perf/sequences': batch.length,
      });
      run.appendMetrics(step, line);
      await saveCheckpoint(run, client, sessionId, { step: step + 1, steps: cfg.steps, seed: cfg.seed, every: cfg.checkpoint.every, keep: cfg.checkpoint.keep });
      progress({ stage: 'train', step: step + 1, loss: line['loss/train']! });
    }
    if (!run.metrics().some((l) => l.step === cfg.steps)) run.appendMetrics(cfg.steps, await heldOut(cfg.steps));
    progress({ stage: 'done', step: cfg.steps });
    return { run, finalCheckpoint: run.checkpointPath(cfg.steps), evals };
  } finally {
    await runtime.stop();
  }
}

