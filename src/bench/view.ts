/**
 * `npm run bench:view`: the viewer on large runs. A synthetic training run of N rollouts (~3 KB
 * each: 6 turns with tool calls, observations, verdicts, a diff and a few token ids) is written
 * to a temporary directory; the viewer serves it over HTTP in this process. Measured: the
 * cold index build (one streaming pass), memory (V8 heap and RSS after a full GC) before, after
 * the index and after a thousand pages, and page latency p50/p95 per kind of page. Sizes:
 * TARL_BENCH_VIEW_EPISODES (comma-separated, default 10000,100000).
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Trajectory } from '../episode/trajectory.ts';
import { Rng } from '../generate/prng.ts';
import { RunDir } from '../run/run-dir.ts';
import { startViewer } from '../web/server.ts';
import { nowMs } from './measure.ts';
import { quantile } from './stats.ts';
import { formatTable } from './table.ts';

/** Full garbage collection, so heap figures are live data rather than garbage not yet collected. */
function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function memory(): { heapMb: number; rssMb: number } {
  gc();
  const m = process.memoryUsage();
  return { heapMb: m.heapUsed / 2 ** 20, rssMb: m.rss / 2 ** 20 };
}

const TASKS = 50;
const GROUP = 8;

/** One synthetic rollout: deterministic in i, with the fields the viewer filters on varying. */
function syntheticEpisode(i: number, rng: Rng): Trajectory {
  const step = Math.floor(i / (TASKS * GROUP));
  const task = Math.floor(i / GROUP) % TASKS;
  const reward = rng.chance(0.4) ? 1 : 0;
  const turns = 6;
  const messages: Trajectory['messages'] = [{ role: 'system', content: 'You are a customer service agent of a store. Follow the policy.' }, { role: 'user', content: `Hi, I want to cancel order #${1000 + task}; it was ordered by mistake.` }];
  const steps: Trajectory['steps'] = [];
  for (let t = 0; t < turns; t++) {
    const tool = t % 2 === 0;
    messages.push(
      tool
        ? { role: 'assistant', content: null, tool_calls: [{ id: `c${t}`, type: 'function', function: { name: 'get_order', arguments: `{"order_id": "#${1000 + task}"}` } }] }
        : { role: 'assistant', content: `I found order #${1000 + task} with 3 items (lamp, kettle, mug), total $${(50 + task).toFixed(2)}. Shall I cancel it, reason "ordered by mistake"? Please confirm (yes/no).` },
    );
    messages.push(
      tool
        ? { role: 'tool', tool_call_id: `c${t}`, name: 'get_order', content: `{"order_id": "#${1000 + task}", "user_id": "u${task}", "items": [{"name": "lamp", "price": 20.5}, {"name": "kettle", "price": 18.0}, {"name": "mug", "price": ${11.5 + task}}], "status": "pending"}` }
        : { role: 'user', content: rng.chance(0.01) ? 'needle-7Q: yes please, go ahead.' : 'Yes, please go ahead.' },
    );
    const completionIds = Array.from({ length: 24 }, () => rng.int(5, 1000));
    steps.push({
      turn: t, messageIndex: messages.length - 2, wallMs: 3,
      action: tool ? { type: 'tool', name: 'get_order', arguments: `{"order_id": "#${1000 + task}"}`, callId: `c${t}` } : { type: 'respond', content: 'I found order …' },
      tokens: { deltaIds: Array.from({ length: 12 }, () => rng.int(5, 1000)), completionIds, logprobs: completionIds.map(() => -rng.float()) },
    });
  }
  const neg = reward === 0 && rng.chance(0.8) ? rng.int(0, turns - 1) : -1;
  return {
    schema: 1, taskId: `train/${task}`, domain: 'starter', split: 'train', taskIndex: task, trial: i % GROUP, seed: i, agent: 'policy', user: 'scripted',
    messages, steps, termination: reward ? 'user_stop' : rng.chance(0.5) ? 'max_steps' : 'agent_transfer', reward,
    rewardInfo: { reward: reward as 0 | 1, dbMatch: reward === 1, diff: reward ? [] : [{ table: 'orders', key: `#${1000 + task}`, expected: '{"status": "cancelled"}', actual: null, fields: ['status'] }], outputs: [], mode: 'taubench' },
    judge: { judge: 'oracle', status: 'ok', verdicts: steps.map((s) => ({ turn: s.turn, score: s.turn === neg ? -1 : s.turn > neg && neg >= 0 ? 0 : 1, rationale: s.turn === neg ? 'wrong_write: cancelled without confirmation' : 'fine' })) },
    step, rl: { reward: reward + 10 * (neg >= 0 ? -1 / turns : 1), advantages_K: steps.map(() => (reward ? 0.8 : -0.8)), kept: !rng.chance(0.1), trainTokens: 144 },
    usage: { agent: { promptTokens: 900, completionTokens: 144, costUsd: null }, user: { promptTokens: 0, completionTokens: 0, costUsd: 0 } },
    wallMs: 40, startedAt: '2026-12-01T00:00:00.000Z',
  };
}

/** Writes a training run of `n` synthetic rollouts (and a metrics line per step); returns its directory. */
export function writeSyntheticRun(root: string, n: number): string {
  const dir = join(root, `run-${n}`);
  const run = RunDir.create(dir, {
    schema: 1, kind: 'train', createdAt: new Date().toISOString(), config: { steps: Math.ceil(n / (TASKS * GROUP)), data: { dir: join(root, 'no-dataset') } },
    provenance: { commit: null, tarlVersion: 'bench', node: process.version, data: {}, seeds: { run: 0 }, models: {} },
  });
  const rng = new Rng('bench view');
  const fd = openSync(run.path('episodes.jsonl'), 'w');
  try {
    let buf = '';
    for (let i = 0; i < n; i++) {
      buf += JSON.stringify(syntheticEpisode(i, rng)) + '\n';
      if (buf.length > 4 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    }
    writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  for (let s = 0; s < Math.ceil(n / (TASKS * GROUP)); s++) run.appendMetrics(s, { 'reward/mean': rng.float(), 'loss/policy': rng.float(), 'env/steps': 6 });
  return dir;
}

export interface ViewBenchResult {
  episodes: number;
  fileMb: number;
  indexSeconds: number;
  indexMb: number;
  bytesPerEpisode: number;
  /** Heap and RSS after a GC: at start, after the index, after every page request. */
  before: { heapMb: number; rssMb: number };
  afterIndex: { heapMb: number; rssMb: number };
  afterPages: { heapMb: number; rssMb: number };
  /** The largest RSS seen between requests. */
  peakRssMb: number;
  /** Milliseconds per page kind. */
  latency: Record<string, { n: number; p50: number; p95: number }>;
}

/** Measures the viewer on one synthetic run of `episodes` rollouts (`pages` requests per kind). */
export async function benchView(o: { episodes: number; pages?: number; root?: string }): Promise<ViewBenchResult> {
  const root = o.root ?? mkdtempSync(join(tmpdir(), 'tarl-bench-view-'));
  const pages = o.pages ?? 200;
  try {
    const dir = writeSyntheticRun(root, o.episodes);
    const fileBytes = statSync(join(dir, 'episodes.jsonl')).size;
    const before = memory();
    const server = await startViewer({ runs: [dir] });
    try {
      const get = async (path: string): Promise<number> => {
        const t0 = nowMs();
        const res = await fetch(server.url + path);
        const body = await res.text();
        if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 200)}`);
        return nowMs() - t0;
      };
      const t0 = nowMs();
      await get('/runs/0/episodes');
      const indexSeconds = (nowMs() - t0) / 1000;
      const idx = await server.catalog.index(server.catalog.get('0')!);
      if (idx.count !== o.episodes) throw new Error(`indexed ${idx.count} of ${o.episodes} episodes (problems: ${JSON.stringify(idx.problems.slice(0, 3))})`);
      const afterIndex = memory();
      const steps = Math.ceil(o.episodes / (TASKS * GROUP));
      const rng = new Rng('bench view pages');
      const kinds: Record<string, () => string> = {
        'list page': () => `/runs/0/episodes?page=${rng.int(1, Math.ceil(o.episodes / 50))}`,
        'list: failures with −1': () => `/runs/0/episodes?outcome=fail&neg=1&page=${rng.int(1, 20)}`,
        'list: one step': () => `/runs/0/episodes?step=${rng.int(0, steps - 1)}`,
        'episode page': () => `/runs/0/episodes/${rng.int(0, o.episodes - 1)}`,
        'search (first page)': () => `/runs/0/episodes?q=needle-7Q&step=${rng.int(0, steps - 1)}-${steps - 1}`,
        'run page': () => '/runs/0',
        'metrics poll': () => '/api/runs/0/metrics?from=0',
      };
      const samples = new Map<string, number[]>(Object.keys(kinds).map((k) => [k, []]));
      let peakRssMb = afterIndex.rssMb;
      for (let i = 0; i < pages; i++) {
        for (const [k, path] of Object.entries(kinds)) {
          if (k === 'search (first page)' && i % 5 !== 0) continue; // a search reads records from disk: fewer samples
          samples.get(k)!.push(await get(path()));
        }
        if (i % 20 === 0) peakRssMb = Math.max(peakRssMb, process.memoryUsage().rss / 2 ** 20);
      }
      const afterPages = memory();
      const latency: ViewBenchResult['latency'] = {};
      for (const [k, xs] of samples) {
        const sorted = [...xs].sort((a, b) => a - b);
        latency[k] = { n: xs.length, p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95) };
      }
      const indexBytes = idx.memoryBytes();
      return {
        episodes: o.episodes, fileMb: fileBytes / 2 ** 20, indexSeconds, indexMb: indexBytes / 2 ** 20, bytesPerEpisode: indexBytes / o.episodes,
        before, afterIndex, afterPages, peakRssMb, latency,
      };
    } finally {
      await server.close();
    }
  } finally {
    if (!o.root) rmSync(root, { recursive: true, force: true });
  }
}

export async function run(): Promise<void> {
  const sizes = (process.env.TARL_BENCH_VIEW_EPISODES ?? '10000,100000').split(',').map(Number);
  const results: ViewBenchResult[] = [];
  for (const episodes of sizes) {
    if (!Number.isInteger(episodes) || episodes < 1) throw new Error(`TARL_BENCH_VIEW_EPISODES: '${episodes}' is not a positive integer`);
    results.push(await benchView({ episodes }));
  }
  const f = (x: number, d = 1): string => x.toFixed(d);
  console.log('tarl view on synthetic training runs (one process: server and client; heap and RSS after a full GC, MiB):');
  console.log(
    formatTable(
      ['episodes', 'file MiB', 'index s', 'index MiB', 'B/episode', 'heap start', 'heap indexed', 'heap after pages', 'rss indexed', 'rss after pages', 'rss peak'],
      results.map((r) => [String(r.episodes), f(r.fileMb), f(r.indexSeconds, 2), f(r.indexMb, 2), f(r.bytesPerEpisode, 0), f(r.before.heapMb), f(r.afterIndex.heapMb), f(r.afterPages.heapMb), f(r.afterIndex.rssMb), f(r.afterPages.rssMb), f(r.peakRssMb)]),
    ),
  );
  console.log('\nPage latency over HTTP, ms (p50 / p95):');
  const kinds = Object.keys(results[0]?.latency ?? {});
  console.log(formatTable(['page', ...results.map((r) => `${r.episodes} p50`), ...results.map((r) => `${r.episodes} p95`)], kinds.map((k) => [k, ...results.map((r) => f(r.latency[k]!.p50)), ...results.map((r) => f(r.latency[k]!.p95))])));
}
