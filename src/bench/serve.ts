import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setMaxListeners } from 'node:events';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { REPO_ROOT } from '../paths.ts';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { quantile } from './stats.ts';
import { formatTable } from './table.ts';

/**
 * `npm run bench:serve`: the sandbox service as a child process on 127.0.0.1, driven over REST
 * and over MCP (official client) at 1, 16 and 128 concurrent sessions. Each configuration
 * creates sessions (timed), then every session calls tools in a closed loop for a fixed time
 * (calls/s, per-call p50/p99). Calls replay the retail test split's ground-truth steps.
 * Bounded: CALL_SECONDS per configuration; the whole run takes well under a minute.
 */

const TAUBENCH = process.env.TAUBENCH_DIR ?? resolve(REPO_ROOT, '../shared/taubench');
const CONCURRENCY = [1, 16, 128] as const;
const CALL_SECONDS = Number(process.env.BENCH_CALL_SECONDS ?? 2);
const TOKEN = 'bench-token-0123456789abcdef';

interface Step {
  name: string;
  kwargs: Record<string, unknown>;
}

interface Row {
  transport: 'REST' | 'MCP';
  sessions: number;
  sessionsPerS: number;
  callsPerS: number;
  p50: number;
  p99: number;
  calls: number;
  /** Server process CPU time per call (user + system), robust to other load on the machine. */
  serverCpuUsPerCall: number;
}

/** A world driver: REST or MCP behind one shape, so both run the same loop. */
interface Driver {
  create(): Promise<Conn>;
}
interface Conn {
  call(step: Step): Promise<string>;
  close(): Promise<void>;
}

function goldenSteps(): Step[] {
  const lines = readFileSync(resolve(TAUBENCH, 'golden/retail_test_replay.jsonl'), 'utf8').split('\n').filter(Boolean);
  return lines.flatMap((l) => (JSON.parse(l) as { steps: Step[] }).steps.map((s) => ({ name: s.name, kwargs: s.kwargs })));
}

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  const args = [resolve(REPO_ROOT, 'bin/tarl.js'), 'serve', '--data', TAUBENCH, '--domain', 'retail', '--port', '0'];
  const child = spawn(process.execPath, [...args, '--token', TOKEN, '--max-sessions', '4096'], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('server did not start within 60 s')), 60_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      ok({ child, url: (JSON.parse(out.slice(0, nl)) as { url: string }).url });
    });
    child.on('exit', (code) => fail(new Error(`server exited (${String(code)})`)));
  });
}

const auth = { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' };

/**
 * One deadline shared by every request of a run: a per-request `AbortSignal.timeout` would keep
 * thousands of live timers around and tax the client more than the server.
 */
const deadline = AbortSignal.timeout(10 * 60_000);
setMaxListeners(0, deadline);

function restDriver(url: string): Driver {
  return {
    async create() {
      const r = await fetch(`${url}/v1/sessions`, { method: 'POST', headers: auth, body: '{}', signal: deadline });
      const id = ((await r.json()) as { session_id: string }).session_id;
      return {
        async call(step) {
          const res = await fetch(`${url}/v1/sessions/${id}/calls`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ name: step.name, arguments: step.kwargs }),
            signal: deadline,
          });
          if (res.status !== 200) throw new Error(`call answered ${res.status}`);
          return ((await res.json()) as { observation: string }).observation;
        },
        async close() {
          await fetch(`${url}/v1/sessions/${id}`, { method: 'DELETE', headers: auth, signal: deadline });
        },
      };
    },
  };
}

function mcpDriver(url: string): Driver {
  return {
    async create() {
      const transport = new StreamableHTTPClientTransport(new URL(`${url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } });
      const client = new Client({ name: 'tarl-bench', version: '0.0.0' });
      await client.connect(transport);
      return {
        async call(step) {
          const r = await client.callTool({ name: step.name, arguments: step.kwargs }, undefined, { timeout: 30_000 });
          return JSON.stringify(r.content);
        },
        async close() {
          await transport.terminateSession();
          await client.close();
        },
      };
    },
  };
}

/** Runs `n` tasks with at most `limit` at once. */
async function pool<T>(n: number, limit: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(n);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n) {
      const i = next++;
      out[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, limit) }, worker));
  return out;
}

/** CPU seconds (user + system) the process has used, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the command name.
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}
const CLOCK_TICKS = 100;

async function measure(transport: Row['transport'], driver: Driver, sessions: number, steps: readonly Step[], serverPid?: number): Promise<Row> {
  // Session creation: at least 64 sessions per measurement so the rate is not one round trip.
  const creations = Math.max(64, sessions);
  const t0 = performance.now();
  const conns = await pool(creations, sessions, () => driver.create());
  const sessionsPerS = creations / ((performance.now() - t0) / 1000);
  const active = conns.slice(0, sessions);
  await Promise.all(conns.slice(sessions).map((c) => c.close()));

  const latencies_C: number[] = [];
  const end = performance.now() + CALL_SECONDS * 1000;
  const start = performance.now();
  const cpu0 = cpuSeconds(serverPid);
  await Promise.all(
    active.map(async (conn, s) => {
      for (let i = (s * 37) % steps.length; performance.now() < end; i = (i + 1) % steps.length) {
        const t = performance.now();
        await conn.call(steps[i]!);
        latencies_C.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = cpuSeconds(serverPid) - cpu0;
  await Promise.all(active.map((c) => c.close()));
  latencies_C.sort((a, b) => a - b);
  return {
    transport,
    sessions,
    sessionsPerS,
    callsPerS: latencies_C.length / seconds,
    p50: quantile(latencies_C, 0.5),
    p99: quantile(latencies_C, 0.99),
    calls: latencies_C.length,
    serverCpuUsPerCall: (cpu / latencies_C.length) * 1e6,
  };
}

export async function run(): Promise<void> {
  const steps = goldenSteps();
  const { child, url } = await startChild();
  const rows: Row[] = [];
  try {
    for (const [name, driver] of [['REST', restDriver(url)], ['MCP', mcpDriver(url)]] as const) {
      // Warm-up: JIT, connection pool and the server's first-call caches.
      await measure(name, driver, 4, steps.slice(0, 50)).catch((e: unknown) => {
        throw new Error(`${name} warm-up failed: ${e instanceof Error ? e.message : String(e)}`);
      });
      for (const c of CONCURRENCY) rows.push(await measure(name, driver, c, steps, child.pid));
    }
  } finally {
    child.kill('SIGTERM');
  }
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`bench:serve — server child process on 127.0.0.1, client in this process; ${cpus().length} cores (${cpu}); Node ${process.version}`);
  console.log(`calls: retail test ground-truth steps in a closed loop, ${CALL_SECONDS} s per row; sessions/s: ≥64 creations at that concurrency`);
  console.log(`load average at the end: ${loadavg().map((l) => l.toFixed(1)).join(' ')} (wall-clock figures shrink under other load; server CPU per call does not)`);
  console.log('');
  const header = ['transport', 'sessions', 'sessions/s', 'calls/s', 'p50 ms', 'p99 ms', 'calls', 'server CPU µs/call'];
  const table = rows.map((r) => [
    r.transport,
    String(r.sessions),
    r.sessionsPerS.toFixed(0),
    r.callsPerS.toFixed(0),
    r.p50.toFixed(2),
    r.p99.toFixed(2),
    String(r.calls),
    r.serverCpuUsPerCall.toFixed(0),
  ]);
  console.log(formatTable(header, table));
}
