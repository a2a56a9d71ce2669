/**
 * `npm run bench:trainer`: throughput of the trainer service on the tiny preset (CPU) next to a
 * plain PyTorch loop on the same model and shapes (trainer/bench_plain.py), as a ratio.
 * Service figures are wall-clock from this process, so they include HTTP and JSON.
 * GPU part (trainer/bench_gpu.py: Qwen3-8B-sized random model, LoRA, bf16, MFU): only with
 * TARL_BENCH_GPU=1 on a machine where `nvidia-smi -L` lists a GPU; otherwise it says it was not run.
 */
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';
import { defaultPython, REPO_ROOT, startTrainer } from '../trainer/process.ts';
import type { Datum } from '../trainer/types.ts';

const SHAPE = { batch: 8, seq: 256, fbSteps: 5, prompt: 32, newTokens: 64, sampleSteps: 3, threads: 2 };

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
      const r = await c.sample(sid, prompts, { n: 1, max_tokens: SHAPE.newTokens, temperature: 1, stop_token_ids: [] });
      sampleInner = r.metrics['perf/sample_tokens_per_s']!;
    });
    service = {
      fb: (SHAPE.batch * (SHAPE.seq - 1) * SHAPE.fbSteps) / fbSecs,
      fbInner,
      sample: (SHAPE.batch * SHAPE.newTokens * SHAPE.sampleSteps) / sampleSecs,
      sampleInner,
    };
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
  await gpuPart();
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
