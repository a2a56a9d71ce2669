/**
 * `npm run bench:trainer`: throughput of the trainer service on the tiny preset (CPU) next to a
 * plain PyTorch loop on the same model and shapes (trainer/bench_plain.py), as a ratio.
 * Service figures are wall-clock from this process, so they include HTTP and JSON.
 * Then per-turn sampling latency against context length with and without the prefix KV cache, and
 * forward_backward tok/s of the ways to split a batch into model calls (trainer/bench_fb.py).
 * GPU part (trainer/bench_gpu.py: Qwen3-8B-sized random model, LoRA, bf16, MFU): only with
 * TARL_BENCH_GPU=1 on a machine where `nvidia-smi -L` lists a GPU; otherwise it says it was not run.
 */
import { execFile, spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { z } from 'zod';
import { defaultPython, REPO_ROOT, startTrainer } from '../trainer/process.ts';
import type { TrainerClient } from '../trainer/client.ts';
import type { Datum } from '../trainer/types.ts';

const SHAPE = { batch: 8, seq: 256, fbSteps: 5, prompt: 32, newTokens: 64, sampleSteps: 3, threads: 2 };
/** A turn at context L: prompt = previous prompt + its `newTokens` sampled ids + a `newTokens` delta. */
const TURNS = { contexts: [256, 512, 1024, 2048, 4032], newTokens: 32, batches: [1, 16], rounds: 9 };

/** 1-minute load average: the machine may be shared, and these figures move with it. */
function load(): string {
  return loadavg()[0]!.toFixed(2);
}

interface TurnRow { batch: number; context: number; beforeMs: number; afterMs: number; prefillBefore: number; prefillAfter: number }

/**
 * One multi-turn step, timed: the previous turn (untimed, with the cache) leaves its prompt and
 * sampled ids in the cache; the timed turn's prompt extends them by a delta. "before" samples the
 * same prompts with use_cache=false (full prefill); every round starts from a cleared cache.
 */
async function turnRound(c: TrainerClient, sid: string, tok: () => number, row: TurnRow, firstPrompts: number[][], round: number, times: { before: number[]; after: number[] }): Promise<void> {
  const k = TURNS.newTokens;
  const params = { n: 1, max_tokens: k, temperature: 1, stop_token_ids: [] as number[] };
  await c.clearCache(sid);
  const prev = await c.sample(sid, firstPrompts, { ...params, seed: round });
  const prompts = firstPrompts.map((p, i) => [...p, ...prev.samples[i]![0]!.ids, ...Array.from({ length: k }, tok)]);
  const time = async (useCache: boolean): Promise<void> => {
    const t0 = performance.now();
    const r = await c.sample(sid, prompts, { ...params, seed: 100 + round, use_cache: useCache });
    const ms = performance.now() - t0;
    if (round > 0) (useCache ? times.after : times.before).push(ms); // round 0 warms up
    if (useCache) row.prefillAfter = r.metrics['perf/prefill_tokens']!;
    else row.prefillBefore = r.metrics['perf/prefill_tokens']!;
  };
  // use_cache=false neither reads nor writes the cache, so the order does not matter; alternate anyway.
  if (round % 2) { await time(false); await time(true); } else { await time(true); await time(false); }
  if (row.prefillAfter !== row.batch * (k + 1)) throw new Error(`expected ${row.batch * (k + 1)} prefill tokens with the cache, got ${row.prefillAfter}`);
}

/**
 * Rounds run across all (batch, context) cells in turn, so a burst of load from other processes
 * on a shared machine slows one round of many cells instead of every round of one; each cell then
 * reports its fastest round.
 */
async function turnRows(c: TrainerClient, tok: () => number): Promise<TurnRow[]> {
  const { session_id: sid } = await c.createSession({ model: { preset: 'tiny' }, seed: 0 });
  const cells = TURNS.batches.flatMap((batch) =>
    TURNS.contexts.map((context) => ({
      row: { batch, context, beforeMs: 0, afterMs: 0, prefillBefore: 0, prefillAfter: 0 },
      firstPrompts: Array.from({ length: batch }, () => Array.from({ length: context - 2 * TURNS.newTokens }, tok)),
      times: { before: [] as number[], after: [] as number[] },
    })),
  );
  for (let round = 0; round <= TURNS.rounds; round++) {
    for (const cell of cells) await turnRound(c, sid, tok, cell.row, cell.firstPrompts, round, cell.times);
  }
  await c.deleteSession(sid);
  return cells.map(({ row, times }) => ({ ...row, beforeMs: Math.min(...times.before), afterMs: Math.min(...times.after) }));
}

function printTurns(rows: TurnRow[]): void {
  console.log(`\nper-turn sampling latency, ms (best of ${TURNS.rounds}; wall clock incl. HTTP; load average ${load()}): prompt of <context> tokens = previous prompt`);
  console.log(`+ its ${TURNS.newTokens} sampled tokens + a ${TURNS.newTokens}-token delta; ${TURNS.newTokens} new tokens sampled, T=1; before = use_cache=false`);
  console.log(`${'batch'.padStart(5)}${'context'.padStart(9)}${'before'.padStart(10)}${'after'.padStart(10)}${'ratio'.padStart(8)}${'prefill tokens before → after'.padStart(32)}`);
  for (const r of rows) {
    const prefill = `${r.prefillBefore} → ${r.prefillAfter}`;
    console.log(`${String(r.batch).padStart(5)}${String(r.context).padStart(9)}${r.beforeMs.toFixed(0).padStart(10)}${r.afterMs.toFixed(0).padStart(10)}${(r.beforeMs / r.afterMs).toFixed(2).padStart(8)}${prefill.padStart(32)}`);
  }
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
}

async function timed(n: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - t0) / 1000;
}

export async function run(): Promise<void> {
  const next = lcg(1);
  const tok = (): number => 3 + (next() % 1000);
  const svc = await startTrainer({ threads: SHAPE.threads });
  let service: { fb: number; fbInner: number; sample: number; sampleInner: number };
  let turns: TurnRow[];
  try {
    const c = svc.client;
    const { session_id: sid } = await c.createSession({ model: { preset: 'tiny' }, seed: 0 });
    const data: Datum[] = Array.from({ length: SHAPE.batch }, () => {
      const ids = Array.from({ length: SHAPE.seq }, tok);
      return { input_ids: ids.slice(0, -1), target_ids: ids.slice(1) };
    });
    let fbInner = 0;
    const fbSecs = await timed(SHAPE.fbSteps, async () => {
      fbInner = (await c.forwardBackward(sid, data)).metrics['perf/tokens_per_s']!;
    });
    const prompts = Array.from({ length: SHAPE.batch }, () => Array.from({ length: SHAPE.prompt }, tok));
    let sampleInner = 0;
    const sampleSecs = await timed(SHAPE.sampleSteps, async () => {
      // The same prompts every step: without use_cache=false the prefix cache would skip their prefill.
      const r = await c.sample(sid, prompts, { n: 1, max_tokens: SHAPE.newTokens, temperature: 1, stop_token_ids: [], use_cache: false });
      sampleInner = r.metrics['perf/sample_tokens_per_s']!;
    });
    service = {
      fb: (SHAPE.batch * (SHAPE.seq - 1) * SHAPE.fbSteps) / fbSecs,
      fbInner,
      sample: (SHAPE.batch * SHAPE.newTokens * SHAPE.sampleSteps) / sampleSecs,
      sampleInner,
    };
    turns = await turnRows(c, tok);
  } finally {
    await svc.stop();
  }
  const args = ['-m', 'trainer.bench_plain', '--batch', SHAPE.batch, '--seq', SHAPE.seq, '--steps', SHAPE.fbSteps, '--prompt', SHAPE.prompt, '--new', SHAPE.newTokens, '--sample-steps', SHAPE.sampleSteps, '--threads', SHAPE.threads].map(String);
  const { stdout } = await promisify(execFile)(defaultPython(), args, { cwd: REPO_ROOT, timeout: 600_000 });
  const plain = z.object({ fb_tokens_per_s: z.number(), sample_tokens_per_s: z.number() }).parse(JSON.parse(stdout.trim().split('\n').at(-1)!));
  const f = (x: number): string => x.toFixed(0).padStart(12);
  const rows = [
    ['forward_backward tok/s', service.fb, service.fbInner, plain.fb_tokens_per_s],
    ['sample tok/s', service.sample, service.sampleInner, plain.sample_tokens_per_s],
  ] as const;
  console.log(`tiny preset (Qwen3, 2 layers, hidden 64, vocab 1024), CPU, ${SHAPE.threads} torch threads`);
  console.log(`forward_backward: ${SHAPE.batch} × ${SHAPE.seq - 1} tokens; sample: ${SHAPE.batch} prompts × ${SHAPE.prompt} tokens → ${SHAPE.newTokens} new tokens, T=1`);
  console.log(`${'metric'.padEnd(24)}${'service'.padStart(12)}${'svc compute'.padStart(12)}${'plain torch'.padStart(12)}${'ratio'.padStart(8)}`);
  for (const [name, svcWall, inner, base] of rows) {
    console.log(`${name.padEnd(24)}${f(svcWall)}${f(inner)}${f(base)}${(svcWall / base).toFixed(2).padStart(8)}`);
  }
  console.log('ratio = service wall-clock (incl. HTTP+JSON) / plain PyTorch. plain sampling = HF generate (KV cache).');
  printTurns(turns);
  await fbVariants();
  await gpuPart();
}

const FbVariants = z.object({
  workloads: z.array(z.object({ name: z.string(), tokens: z.number(), variants: z.record(z.string(), z.object({ best: z.number(), median: z.number() })) })),
});

async function fbVariants(): Promise<void> {
  const rounds = 9;
  const { stdout } = await promisify(execFile)(defaultPython(), ['-m', 'trainer.bench_fb', '--threads', String(SHAPE.threads), '--rounds', String(rounds)], { cwd: REPO_ROOT, timeout: 900_000 });
  const res = FbVariants.parse(JSON.parse(stdout.trim().split('\n').at(-1)!));
  console.log(`\nforward_backward tok/s by how a call's batch is split into model calls (trainer/bench_fb.py, no HTTP; best of ${rounds}, load average ${load()})`);
  console.log('before = padded+mask (one masked call, the old path); the service now runs "chunks + prefix"; "one per call" is the reference it equals');
  const names = Object.keys(res.workloads[0]!.variants);
  console.log(`${'workload'.padEnd(26)}${names.map((n) => n.padStart(16)).join('')}`);
  for (const w of res.workloads) {
    const before = w.variants['padded+mask']!.best;
    console.log(`${w.name.padEnd(26)}${names.map((n) => w.variants[n]!.best.toFixed(0).padStart(16)).join('')}`);
    console.log(`${'  × before'.padEnd(26)}${names.map((n) => (w.variants[n]!.best / before).toFixed(2).padStart(16)).join('')}`);
  }
}

async function gpuPart(): Promise<void> {
  const gpus = await promisify(execFile)('nvidia-smi', ['-L'], { timeout: 30_000 }).then(
    (r) => r.stdout.trim(),
    () => '',
  );
  if (!gpus) {
    console.log('GPU part: not run (no GPU: `nvidia-smi -L` lists none). Figures measured on an H100: trainer/README.md.');
    return;
  }
  if (process.env.TARL_BENCH_GPU !== '1') {
    console.log(`GPU part: not run (${gpus.split('\n')[0]} found; set TARL_BENCH_GPU=1 to run trainer/bench_gpu.py, ~2 min, ~51 GiB).`);
    return;
  }
  console.log(`\nGPU part: ${gpus.split('\n')[0]}; python -m trainer.bench_gpu (Qwen3-8B-sized random model, LoRA r16, bf16)`);
  const child = spawn(defaultPython(), ['-m', 'trainer.bench_gpu'], { cwd: REPO_ROOT, stdio: 'inherit', env: { ...process.env, PYTHONUNBUFFERED: '1' } });
  const code = await new Promise<number | null>((resolve, reject) => child.on('error', reject).on('exit', resolve));
  if (code !== 0) throw new Error(`trainer/bench_gpu.py exited with ${code}`);
}
