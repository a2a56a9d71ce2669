import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/serve/server.ts';
import { goldenReplay, repoRoot, retailDomains, startRetail } from './support/serve-env.ts';

const TOKEN = 'interop-token-0123456789';
const PYTHON = resolve(repoRoot, '.venv/bin/python');
let server: RunningServer;

beforeAll(async () => {
  server = await startRetail({ token: TOKEN });
});
afterAll(async () => {
  await server?.close();
});

interface ClientOutput {
  tools: string[];
  observations: string[];
  verify: { reward: number; db_match: boolean };
}

/** Runs the fastmcp client script with a job on stdin; bounded by a kill timer. */
function runClient(job: unknown): Promise<ClientOutput[]> {
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: run 'bash scripts/setup-python.sh' (installs fastmcp)`);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(PYTHON, [resolve(repoRoot, 'test/support/fastmcp_client.py'), TOKEN], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) reject(new Error(`fastmcp client exited ${String(code)}: ${err.slice(-2000)}`));
      else resolvePromise(JSON.parse(out) as ClientOutput[]);
    });
    child.stdin.end(JSON.stringify(job));
  });
}

describe('interop with the Python fastmcp client (what verl uses)', () => {
  it('runs retail test tasks through /mcp with golden observations and a verified reward of 1', async () => {
    const golden = goldenReplay('retail', 'test');
    const tasks = retailDomains()[0]!.splits.get('test')!;
    const indexes = [0, 3, 61];
    const outs = await runClient({
      runs: indexes.map((index) => ({
        url: `${server.url}/mcp?split=test&task=${index}&verify=1`,
        steps: golden[index]!.steps.map((s) => ({ name: s.name, kwargs: s.kwargs })),
        agent_messages: tasks[index]!.outputs,
      })),
    });
    expect(outs.length).toBe(indexes.length);
    outs.forEach((out, i) => {
      const index = indexes[i]!;
      expect(out.tools).toContain('get_order_details');
      expect(out.tools).toContain('tarl_verify');
      expect(out.observations, `task ${index}`).toEqual(golden[index]!.steps.map((s) => s.observation));
      expect(out.verify, `task ${index}`).toMatchObject({ reward: 1, db_match: true });
    });
    expect(server.store.size).toBe(0);
  });
});
