import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { tarl } from './support/cli.ts';
import { ScriptedLlmServer, text, type RecordedRequest } from './support/llm-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'tarl-judge-cli-'));
const data = join(dir, 'data');
let server: ScriptedLlmServer;


// A judge model that scores every numbered agent turn +1, except it puts one -1 on turn 0.
function judgeReply(req: RecordedRequest) {
  const body = req.body as { messages: { content: string }[] };
  const m = /\((\d+) agent turns, numbered from 0\)/.exec(body.messages[1]!.content);
  const n = Number(m?.[1] ?? 0);
  return text(JSON.stringify({ turns: Array.from({ length: n }, (_, turn) => ({ turn, score: turn === 0 ? -1 : 1, rationale: `turn ${turn}` })) }));
}

beforeAll(async () => {
  generateDataset(data, { domain: 'retail', seed: 8, users: 50, tasks: 2, dev: 0, test: 6 });
  server = await ScriptedLlmServer.start(judgeReply);
  const r = await tarl(['eval', '--data', data, '--agent', 'flawed', '--user', 'scripted', '--trials', '2', '--out', join(dir, 'run'), '--no-progress']);
  if (r.code !== 0) throw new Error(r.stderr);
}, 120_000);
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('tarl judge RUN_DIR', () => {
  it('stores oracle verdicts in every record, one per agent turn, and skips them on a re-run', async () => {
    const run = join(dir, 'run');
    const r = await tarl(['judge', run, '--judge', 'oracle']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/judged 12, failed 0, already judged 0/);
    for (const e of RunDir.open(run).episodes().episodes) {
      expect(e.judge?.status).toBe('ok');
      expect(e.judge!.verdicts.map((v) => v.turn)).toEqual(e.steps.map((s) => s.turn));
      expect(e.judge!.verdicts.filter((v) => v.score === -1).length).toBeLessThanOrEqual(1);
    }
    expect(readFileSync(join(run, 'report.html'), 'utf8')).toContain('class="verdict');
    const again = await tarl(['judge', run, '--judge', 'oracle']);
    expect(again.stdout).toMatch(/judged 0, failed 0, already judged 12/);
  });
  it('runs an LLM judge through the model flags and keeps both judges apart', async () => {
    const run = join(dir, 'run');
    const r = await tarl(['judge', run, '--judge', 'llm', '--judge-model', 'judge-x', '--judge-base-url', server.baseUrl, '--concurrency', '3']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/judge llm:judge-x .*judged 12, failed 0/);
    for (const e of RunDir.open(run).episodes().episodes) {
      expect(e.judge?.judge).toBe('llm:judge-x');
      expect(e.judge!.verdicts[0]?.score).toBe(-1);
      expect(e.judge!.promptVersion).toMatch(/^turn-judge-v1@[0-9a-f]{12}$/);
    }
    expect(server.requests.length).toBe(12);
    expect(JSON.stringify(server.requests.map((q) => q.body))).not.toContain('"injection"');
  });
});
