/**
 * `npm run bench:startup`: how long each `tarl` command takes from its start to its first byte
 * of output (stdout or stderr), best of N, for the top-level help, every command's `--help`, and
 * quick real invocations (a usage error, an error found after the command's code has loaded,
 * a long command's first progress line). Each is timed side by side with `node -e` printing one
 * byte, the floor no command can beat, so the ratio says what `tarl` adds to a bare Node start
 * whatever the machine's load. Measures the built CLI (bin/tarl.js running dist/): it refuses
 * to run when dist/ is missing or older than the sources.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distState } from '../../bin/dist-state.js';
import { commands } from '../cli/commands/index.ts';
import { REPO_ROOT } from '../paths.ts';
import { nowMs } from './measure.ts';
import { formatTable } from './table.ts';

/** Runs per case (best of). */
const RUNS = 5;
/** The bound on time to first output. */
const LIMIT_MS = 300;

interface StartupCase {
  label: string;
  /** Arguments after `tarl`; `$TMP` is replaced by a fresh empty folder per run. */
  args: string[];
}

function cases(): StartupCase[] {
  const help: StartupCase[] = [
    { label: 'tarl --version', args: ['--version'] },
    { label: 'tarl --help', args: ['--help'] },
    { label: 'tarl help models', args: ['help', 'models'] },
    ...commands.map((c) => ({ label: `tarl ${c.name} --help`, args: [c.name, '--help'] })),
  ];
  const missing = join(tmpdir(), 'tarl-bench-startup-missing');
  const real: StartupCase[] = [
    { label: 'eval: usage error (mistyped flag)', args: ['eval', '--agnet', 'oracle'] },
    { label: 'eval: missing dataset (after its code loads)', args: ['eval', '--data', missing, '--out', '$TMP/run', '--agent', 'oracle'] },
    { label: 'data stats: missing dataset', args: ['data', 'stats', missing] },
    { label: 'demo --eval-only: first progress line', args: ['demo', '--eval-only', '--out', '$TMP/demo'] },
    { label: 'demo: first progress line', args: ['demo', '--out', '$TMP/demo'] },
  ];
  return [...help, ...real];
}

/**
 * Milliseconds from spawning `argv` to its first byte on stdout or stderr; the process (and any
 * it started, such as the trainer service: one process group) is then killed.
 */
function firstOutputMs(argv: string[]): Promise<{ ms: number; first: string }> {
  return new Promise((resolve, reject) => {
    const t0 = nowMs();
    const child = spawn(process.execPath, argv, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let result: { ms: number; first: string } | undefined;
    const onData = (d: Buffer): void => {
      if (result) return;
      result = { ms: nowMs() - t0, first: d.toString().split('\n')[0]!.trim() };
      process.kill(-child.pid!, 'SIGKILL');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => (result ? resolve(result) : reject(new Error(`${argv.join(' ')} exited (${code}) without output`))));
  });
}

export async function run(): Promise<void> {
  const state = distState(REPO_ROOT);
  if (!state.current) throw new Error(`bench:startup measures the built CLI, and ${state.why}`);
  const tarl = join(REPO_ROOT, 'bin', 'tarl.js');
  const rows: string[][] = [];
  let within = 0;
  const all = cases();
  for (const c of all) {
    const times: number[] = [];
    const floor: number[] = [];
    let first = '';
    for (let i = 0; i < RUNS; i++) {
      // The floor and the command alternate, so both see the same moments of the machine's load.
      floor.push((await firstOutputMs(['-e', "process.stdout.write('.')"])).ms);
      const tmp = mkdtempSync(join(tmpdir(), 'tarl-bench-startup-'));
      try {
        const r = await firstOutputMs([tarl, ...c.args.map((a) => a.replace('$TMP', tmp))]);
        times.push(r.ms);
        first = r.first;
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    }
    const best = Math.min(...times);
    const node = Math.min(...floor);
    if (best <= LIMIT_MS) within++;
    rows.push([c.label, best.toFixed(0), node.toFixed(0), (best / node).toFixed(2), best <= LIMIT_MS ? 'yes' : 'no', first.length > 48 ? `${first.slice(0, 47)}…` : first]);
  }
  // What bin/tarl.js spends deciding between dist/ and the sources, in this process.
  const check: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = nowMs();
    distState(REPO_ROOT);
    check.push(nowMs() - t0);
  }
  process.stdout.write(
    formatTable(['command', 'first output ms', "node -e ms", 'ratio', `≤ ${LIMIT_MS} ms`, 'first line'], rows) +
      `\n${within} of ${all.length} within ${LIMIT_MS} ms (best of ${RUNS}); the build check in bin/tarl.js takes ${Math.min(...check).toFixed(1)} ms (best of 20)\n`,
  );
}
