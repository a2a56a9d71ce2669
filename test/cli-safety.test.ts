/**
 * Issue 16, items 1–5: the CLI fails loudly and writes only where it should. Each test is one of
 * the reproductions, run through `bin/tarl.js` as a user would; models are a local
 * scripted OpenAI-compatible server, never the network.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset, importTaubench } from '../src/dataset/build.ts';
import { writeDirAside } from '../src/dataset/write.ts';
import { REPO_ROOT, TARL, tarl } from './support/cli.ts';
import { ScriptedLlmServer, text, type RecordedRequest, type Reply } from './support/llm-server.ts';
import { taubenchDir } from './support/taubench.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-cli-safety-'));
const retail = join(dir, 'retail');
const airline = join(dir, 'airline');
const tauAirline = join(dir, 'tau-airline');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeAll(() => {
  generateDataset(retail, { domain: 'retail', seed: 3, users: 40, tasks: 4, dev: 0, test: 10 });
  generateDataset(airline, { domain: 'airline', seed: 3, users: 40, tasks: 0, dev: 0, test: 4 });
  importTaubench(taubenchDir(), 'airline', tauAirline);
});

// Each test spawns the CLI several times; on a loaded 2-core machine one spawn can take 10 s and more.
const SLOW = 300_000;

const lines = (file: string): number => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** Agent requests carry tools, the user simulator's do not; `agent` answers the agent's. */
function roles(agent: () => Reply, delayMs = 0): (req: RecordedRequest) => Reply {
  return (req) => {
    const body = req.body as { tools?: unknown[]; messages: { role: string }[] };
    const wrap = (r: Reply): Reply => (delayMs ? { kind: 'delay', ms: delayMs, then: r } : r);
    if (body.tools) return wrap(agent());
    const turns = body.messages.filter((m) => m.role === 'assistant').length;
    return wrap(text(turns === 0 ? 'I need help with my order.' : 'Thanks, bye. ###STOP###'));
  };
}

const llmArgs = (server: ScriptedLlmServer): string[] => [
  '--agent', 'tool-calling', '--agent-model', 'scripted-agent', '--agent-base-url', server.baseUrl,
  '--user', 'llm', '--user-model', 'scripted-user', '--user-base-url', server.baseUrl,
];

describe('preflight: incompatible parts are refused before any work, in one sentence', { timeout: SLOW }, () => {
  it('the scripted user on imported τ-bench tasks (which have no intent)', async () => {
    const out = join(dir, 'pre-scripted');
    const r = await tarl(['eval', '--data', tauAirline, '--agent', 'oracle', '--user', 'scripted', '--out', out, '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/the scripted user follows a generated task's intent, and none of the 50 selected tasks in .*tau-airline has one/);
    expect(r.stderr).toContain("tarl data generate --domain airline --out DIR");
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('a dead endpoint is named up front, not hidden in episodes', async () => {
    const port = await closedPort();
    const out = join(dir, 'pre-dead');
    const started = Date.now();
    const r = await tarl(['eval', '--data', retail, '--agent', 'tool-calling', '--agent-model', 'foo', '--agent-base-url', `http://127.0.0.1:${port}/v1`, '--out', out, '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`the agent's endpoint http://127.0.0.1:${port}/v1 cannot be reached (ECONNREFUSED)`);
    expect(Date.now() - started).toBeLessThan(100_000); // main spent the retry budget (2 min) per episode
    expect(existsSync(out)).toBe(false);
  });

  it('tarl judge bench on a dataset it cannot make a corpus from is an error, not an empty table', async () => {
    const out = join(dir, 'pre-bench');
    const r = await tarl(['judge', 'bench', '--data', tauAirline, '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/tarl judge bench uses the scripted user; .* none of the 50 selected tasks/);
    expect(r.stdout).not.toContain('mistake kind');
    expect(existsSync(out)).toBe(false);
  });
});

describe('runs where episodes error', { timeout: SLOW }, () => {
  let server: ScriptedLlmServer;
  beforeAll(async () => {
    // Every agent request is rejected (HTTP 400): each episode ends in error.
    server = await ScriptedLlmServer.start(roles(() => ({ kind: 'status', status: 400, body: { error: { message: 'model not found' } } })));
  }, SLOW);
  afterAll(() => server.close());

  it('more than --max-error-rate of the episodes in error: exit 1 and the top reasons with counts', async () => {
    const out = join(dir, 'errors');
    const r = await tarl(['eval', '--data', retail, '--tasks', '0-5', '--out', out, '--no-progress', ...llmArgs(server)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('6 of 6 episodes ended in error (more than --max-error-rate 0.1); reasons:');
    const reasons = r.stderr.split('\n').filter((l) => / × /.test(l));
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(/^\s+6 × LlmRequestError: LLM call to http:\/\/127\.0\.0\.1:\d+\/v1 \(model scripted-agent\) was rejected with HTTP 400/);
    // The run is still written, for inspection.
    expect(JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'))).toMatchObject({ complete: true, summary: { errors: 6 } });

    const lenient = await tarl(['eval', '--data', retail, '--tasks', '0-1', '--out', join(dir, 'errors-ok'), '--no-progress', '--max-error-rate', '1', ...llmArgs(server)]);
    expect(lenient.code, lenient.stderr).toBe(0);
  });
});

describe('output safety: a command writes only into a missing or empty folder, or one of its own kind', { timeout: SLOW }, () => {
  it('refuses a foreign folder (the source tree, say) and a file, even with --force', async () => {
    const foreign = join(dir, 'notes');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'todo.txt'), 'mine');
    for (const extra of [[], ['--force']]) {
      const r = await tarl(['eval', '--data', retail, '--agent', 'oracle', '--tasks', '0', '--out', foreign, '--no-progress', ...extra]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`${foreign} is not empty and is not a run folder (it holds todo.txt)`);
    }
    expect(readdirSync(foreign)).toEqual(['todo.txt']);
    const gen = await tarl(['data', 'generate', '--domain', 'retail', '--tasks', '1', '--dev', '0', '--test', '1', '--users', '40', '--out', foreign]);
    expect(gen.code).toBe(1);
    expect(gen.stderr).toContain('is not empty and is not a dataset folder');
    expect(readdirSync(foreign)).toEqual(['todo.txt']);

    const file = join(dir, 'README.md');
    writeFileSync(file, '# readme\n');
    const r = await tarl(['eval', '--data', retail, '--agent', 'oracle', '--tasks', '0', '--out', file, '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file} is a file; the output must be a folder`);
    expect(r.stderr).not.toContain('EEXIST');
    expect(readFileSync(file, 'utf8')).toBe('# readme\n');
  });

  it('an existing run needs --resume or --force; --force replaces it', async () => {
    const out = join(dir, 'run-twice');
    const first = await tarl(['eval', '--data', retail, '--agent', 'oracle', '--tasks', '0-1', '--out', out, '--no-progress']);
    expect(first.code, first.stderr).toBe(0);
    const again = await tarl(['eval', '--data', retail, '--agent', 'oracle', '--tasks', '0-2', '--out', out, '--no-progress']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`${out} already holds a run (--resume continues it, --force replaces it`);
    const forced = await tarl(['eval', '--data', retail, '--agent', 'oracle', '--tasks', '0-2', '--out', out, '--no-progress', '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(lines(join(out, 'episodes.jsonl'))).toBe(3);
  });

  it('regenerating a dataset needs --force and replaces it whole: no old world beside the new ones', async () => {
    const out = join(dir, 'regen');
    const gen = (seed: string, ...extra: string[]) => tarl(['data', 'generate', '--domain', 'retail', '--seed', seed, '--tasks', '1', '--dev', '0', '--test', '1', '--users', '40', '--out', out, ...extra]);
    expect((await gen('1')).code).toBe(0);
    expect(readdirSync(join(out, 'worlds')).sort()).toEqual(['seed-1', 'seed-2']);
    const refused = await gen('7');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${out} already holds a dataset (--force replaces it`);
    const forced = await gen('7', '--force');
    expect(forced.code, forced.stderr).toBe(0);
    expect(readdirSync(join(out, 'worlds')).sort()).toEqual(['seed-7', 'seed-8']);
    expect(readdirSync(dir).filter((n) => n.includes('.writing-'))).toEqual([]);
    const stats = await tarl(['data', 'stats', out]);
    expect(stats.code, stats.stderr).toBe(0);
  });

  it('a dataset write that fails leaves the old dataset as it was and no temporary folder', () => {
    const out = join(dir, 'regen-fail');
    cpSync(retail, out, { recursive: true });
    const before = readFileSync(join(out, 'manifest.json'), 'utf8');
    expect(() =>
      writeDirAside(out, { replace: true }, (tmp) => {
        writeFileSync(join(tmp, 'manifest.json'), '{}');
        throw new Error('disk full');
      }),
    ).toThrow('disk full');
    expect(readFileSync(join(out, 'manifest.json'), 'utf8')).toBe(before);
    expect(readdirSync(dir).filter((n) => n.includes('.writing-'))).toEqual([]);
  });
});

describe('file errors name the file and what was expected', { timeout: SLOW }, () => {
  it('a manifest with broken JSON: file, line and column', async () => {
    const broken = join(dir, 'broken');
    cpSync(retail, broken, { recursive: true });
    const path = join(broken, 'manifest.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"format"', 'format'));
    const r = await tarl(['eval', '--data', broken, '--agent', 'oracle', '--out', join(dir, 'broken-run'), '--no-progress']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`${path.replace(/[/.]/g, '\\$&')}: not valid JSON: .* \\(line 2, column 3\\)`));
  });

  it('sandbox replay --data on a tarl dataset, and import-taubench on a folder without τ-bench data: no raw ENOENT', async () => {
    const replay = await tarl(['sandbox', 'replay', '--domain', 'retail', '--data', retail, '--in', join(dir, 'none.jsonl')]);
    expect(replay.code).toBe(1);
    expect(replay.stderr).toContain(`${join(dir, 'none.jsonl')} does not exist (expected a JSONL file of tool-call sequences)`);
    const steps = join(dir, 'steps.jsonl');
    writeFileSync(steps, '{"steps": []}\n');
    const onDataset = await tarl(['sandbox', 'replay', '--domain', 'retail', '--data', retail, '--in', steps]);
    expect(onDataset.code).toBe(1);
    expect(onDataset.stderr).toContain(`${retail} holds no τ-bench data for retail: no data/retail/ folder`);
    expect(onDataset.stderr).toContain('looks like a tarl dataset folder');
    const empty = join(dir, 'empty-src');
    mkdirSync(empty);
    const imported = await tarl(['data', 'import-taubench', empty, '--domain', 'retail', '--out', join(dir, 'imp')]);
    expect(imported.code).toBe(1);
    expect(imported.stderr).toContain(`${empty} holds no τ-bench data for retail`);
    for (const r of [replay, onDataset, imported]) expect(r.stderr).not.toContain('ENOENT');
    expect(existsSync(join(dir, 'imp'))).toBe(false);
  });
});

describe('models through a local server: Ctrl-C counts, no listener warning, compare', { timeout: SLOW }, () => {
  let server: ScriptedLlmServer;
  beforeAll(async () => {
    server = await ScriptedLlmServer.start(roles(() => text('Could you tell me more?'), 40));
  }, SLOW);
  afterAll(() => server.close());
  const full = join(dir, 'llm-full');
  const cut = join(dir, 'llm-cut');
  const args = (out: string): string[] => ['eval', '--data', retail, '--split', 'test', '--trials', '3', '--concurrency', '2', '--out', out, '--no-progress', ...llmArgs(server)];

  it('an eval against a model prints no MaxListenersExceededWarning', async () => {
    const r = await tarl(args(full), 280_000);
    expect(r.code, r.stderr).toBe(0);
    expect(lines(join(full, 'episodes.jsonl'))).toBe(30);
    expect(server.bodies.length).toBeGreaterThan(30);
    expect(r.stderr).not.toContain('MaxListenersExceededWarning');
  });

  it('after Ctrl-C the counts add up and the message says what happened to episodes in flight', async () => {
    const child = spawn(process.execPath, [TARL, ...args(cut)], { cwd: REPO_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    const log = join(cut, 'episodes.jsonl');
    const deadline = Date.now() + 240_000;
    while (Date.now() < deadline && !(existsSync(log) && lines(log) >= 4)) await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const recorded = lines(log);
    expect(recorded).toBeLessThan(30);
    expect(stderr).toContain('SIGINT: stopping; no new episode starts, and episodes in flight are cancelled — not recorded, --resume runs them again');
    expect(stderr).not.toContain('finishing episodes in flight');
    const m = /interrupted: (\d+) of 30 episodes recorded; (\d+) cancelled in flight and (\d+) never started \(not recorded\) — run the same command with --resume to run these (\d+)/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    const [rec, cancelled, never, missing] = m!.slice(1).map(Number) as [number, number, number, number];
    expect(rec).toBe(recorded);
    expect(rec + cancelled + never).toBe(30);
    expect(missing).toBe(30 - rec);
    expect(stdout).toContain(`tasks 10 × trials 3 = 30 episodes planned, ${rec} recorded, ${30 - rec} not`);
  });

  it('eval compare: refuses an incomplete run unless --allow-incomplete, and prints the paired task count', async () => {
    const refused = await tarl(['eval', 'compare', full, cut]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/run B \(.*llm-cut\) is incomplete: \d+ of 30 episodes recorded; finish it .* --resume, or pass --allow-incomplete/);
    const allowed = await tarl(['eval', 'compare', full, cut, '--allow-incomplete', '--iterations', '200']);
    expect(allowed.code, allowed.stderr).toBe(0);
    expect(allowed.stderr).toMatch(/warning: run B .* is incomplete/);
    expect(allowed.stdout).toMatch(/^paired tasks: \d+/m);
  });
});

describe('eval compare', { timeout: SLOW }, () => {
  const run = (name: string, ...extra: string[]) => tarl(['eval', '--agent', 'oracle', '--out', join(dir, name), '--no-progress', ...extra]);
  beforeAll(async () => {
    const runs = [
      ['cmp-oracle', '--data', retail, '--trials', '2'],
      ['cmp-flawed', '--data', retail, '--trials', '2', '--agent', 'flawed'],
      ['cmp-airline', '--data', airline],
      ['cmp-train', '--data', retail, '--split', 'train'],
    ] as const;
    for (const [name, ...extra] of runs) {
      const r = await run(name, ...extra);
      expect(r.code, r.stderr).toBe(0);
    }
  }, SLOW);

  it('refuses runs on different datasets or splits', async () => {
    const ds = await tarl(['eval', 'compare', join(dir, 'cmp-oracle'), join(dir, 'cmp-airline')]);
    expect(ds.code).toBe(1);
    expect(ds.stderr).toMatch(/the runs used different datasets \(A .*cmp-oracle: .*retail, manifest [0-9a-f]{12}; B .*cmp-airline: .*airline, manifest [0-9a-f]{12}\)/);
    const split = await tarl(['eval', 'compare', join(dir, 'cmp-oracle'), join(dir, 'cmp-train')]);
    expect(split.code).toBe(1);
    expect(split.stderr).toContain("the runs evaluated different splits (A");
    expect(split.stderr).toContain("'test', B");
  });

  it('compares every summary metric and lists tasks by difference, largest first', async () => {
    const r = await tarl(['eval', 'compare', join(dir, 'cmp-oracle'), join(dir, 'cmp-flawed'), '--iterations', '300']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('paired tasks: 10; trials A 2, B 2');
    for (const metric of ['pass^1', 'pass^2', 'pass@2', 'mean reward', 'error rate', 'turns/episode', 'tool errors/episode', 'cost USD', 'termination user_stop']) {
      expect(r.stdout).toMatch(new RegExp(`^${metric.replace(/[\^/]/g, '\\$&')}: A `, 'm'));
    }
    const deltas = [...r.stdout.matchAll(/^ {2}test\/\d+ +A [\d.]+ {2}B [\d.]+ {2}B−A ([+-][\d.]+)$/gm)].map((m) => Math.abs(Number(m[1])));
    expect(deltas.length).toBeGreaterThan(0);
    expect(deltas).toEqual([...deltas].sort((a, b) => b - a));
  });
});
