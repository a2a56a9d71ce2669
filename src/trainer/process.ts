/**
 * Spawns the Python trainer service and owns its lifetime.
 *
 * The child gets a random bearer token via env, binds 127.0.0.1 on port 0 and prints
 * `{"port": N, "pid": P}`. Its stdin is our pipe: when this process dies for any reason (even
 * SIGKILL) the pipe closes and the service exits; on Linux PR_SET_PDEATHSIG backs that up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { REPO_ROOT } from '../paths.ts';
import { TrainerClient } from './client.ts';
import { PortLine } from './schemas.ts';

export { REPO_ROOT };

export interface StartOptions {
  /** Python interpreter; default $TARL_PYTHON or the project venv. */
  python?: string;
  /** torch threads (per rank). */
  threads?: number;
  /**
   * Ranks of the service (default 1: one plain process). N > 1 runs torchrun in the child
   * (`--standalone --nproc-per-node N`): rank 0 serves HTTP, FSDP2 shards the model over all
   * ranks, each batch is split between them (trainer/README.md, docs/scale.md).
   */
  nproc?: number;
  port?: number;
  startupTimeoutMs?: number;
  /** Extra environment for the child (e.g. TARL_CACHE_DIR). */
  env?: Record<string, string>;
}

export interface TrainerProcess {
  client: TrainerClient;
  baseUrl: string;
  token: string;
  pid: number;
  child: ChildProcess;
  /** Closes the lifeline and waits (bounded) for exit; SIGKILL if it lingers. */
  stop(timeoutMs?: number): Promise<void>;
  /** The last 4,000 characters the service wrote to stderr (why it exited, when it did). */
  stderrTail(): string;
}

export function defaultPython(): string {
  return process.env.TARL_PYTHON ?? join(REPO_ROOT, '.venv', 'bin', 'python');
}

/**
 * glibc malloc serves the sampler's KV buffers (tens of MB, new at every decode step) with mmap
 * and gives them back at every free, so each step page-faults them in again: a fixed mmap
 * threshold (32 MB, glibc's cap) and a high trim threshold keep them in the heap. Measured on a
 * 64-task policy eval on 2 cores: 110 → 83 s, system time 16 → 5 s. A value set by the user wins.
 */
const MALLOC_ENV: Record<string, string> = { MALLOC_MMAP_THRESHOLD_: String(32 * 2 ** 20), MALLOC_TRIM_THRESHOLD_: String(8 * 2 ** 30) };

export async function startTrainer(opts: StartOptions = {}): Promise<TrainerProcess> {
  const token = randomBytes(24).toString('hex');
  const threads = opts.threads ?? 2;
  const nproc = opts.nproc ?? 1;
  if (!Number.isInteger(nproc) || nproc < 1) throw new Error(`nproc must be a positive integer, got ${nproc}`);
  const args = ['-m', 'trainer', '--port', String(opts.port ?? 0), '--threads', String(threads), ...(nproc > 1 ? ['--nproc', String(nproc)] : [])];
  const child = spawn(opts.python ?? defaultPython(), args, {
    cwd: REPO_ROOT,
    env: { ...MALLOC_ENV, ...process.env, ...opts.env, TARL_TRAINER_TOKEN: token, TARL_TRAINER_PARENT_PID: String(process.pid), PYTHONUNBUFFERED: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderrTail = '';
  child.stderr?.on('data', (b: Buffer) => {
    stderrTail = (stderrTail + b.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // N ranks start after the launcher, each importing torch and transformers at once: more time.
  const startupMs = opts.startupTimeoutMs ?? (nproc > 1 ? 180_000 : 60_000);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`trainer service did not start within ${startupMs} ms\n${stderrTail}`)), startupMs);
    const lines = createInterface({ input: child.stdout! });
    function fail(e: Error): void {
      clearTimeout(timer);
      lines.close();
      child.kill('SIGKILL');
      reject(e);
    }
    lines.on('line', (line) => {
      const parsed = PortLine.safeParse((() => { try { return JSON.parse(line) as unknown; } catch { return null; } })());
      if (!parsed.success) return;
      clearTimeout(timer);
      lines.close();
      resolve(parsed.data.port);
    });
    child.once('error', (e) => fail(e));
    child.once('exit', (code, sig) => fail(new Error(`trainer service exited (${code ?? sig}) before listening\n${stderrTail}`)));
  });
  child.stdout?.resume(); // drain anything else it prints
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    client: new TrainerClient({ baseUrl, token }),
    baseUrl,
    token,
    pid: child.pid!,
    child,
    stderrTail: () => stderrTail,
    async stop(timeoutMs = 10_000): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.stdin?.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      await exited;
      clearTimeout(timer);
    },
  };
}
