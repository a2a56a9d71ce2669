/**
 * The τ² commands as a user runs them: `tarl data import-tau2bench`, `tarl eval` on the imported
 * telecom split (oracle agent, scripted user performing the user-side gold actions, --no-llm),
 * τ²'s results format beside ours, and `tarl sandbox replay --benchmark tau2` on a golden file.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tarl } from './support/cli.ts';
import { tau2benchDir } from './support/tau2bench.ts';

const src = tau2benchDir();
const tmp = mkdtempSync(join(tmpdir(), 'tarl-tau2-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Results {
  summary: { episodes: number; passHatK: Record<string, number> | number[] };
}

describe('τ² on the command line', () => {
  it('imports telecom base, evaluates 12 tasks with --no-llm: every reward 1, τ² results written', async () => {
    const data = join(tmp, 'telecom');
    const imp = await tarl(['data', 'import-tau2bench', src, '--domain', 'telecom', '--split', 'base', '--out', data]);
    expect(imp.stderr).toBe('');
    expect(imp.stdout).toMatch(/telecom base 114 tasks/);
    const stats = await tarl(['data', 'stats', data]);
    expect(stats.stdout).toMatch(/^benchmark tau2 {2}domain telecom {2}split base {2}tasks 114 .*hashes verified/);
    const out = join(tmp, 'run');
    const r = await tarl(['eval', '--data', data, '--agent', 'oracle', '--user', 'scripted', '--no-llm', '--tasks', '0-11', '--concurrency', '2', '--out', out, '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as Results & { complete: boolean };
    expect(results.complete).toBe(true);
    expect(results.summary.episodes).toBe(12);
    const t2 = JSON.parse(readFileSync(join(out, 'tau2-results.json'), 'utf8')) as {
      info: { environment_info: { domain_name: string } };
      tasks: { id: string }[];
      simulations: {
        task_id: string;
        termination_reason: string;
        reward_info: { reward: number; reward_basis: string[]; action_checks: { action: { action_id: string; name: string }; action_match: boolean; action_reward: number }[] };
      }[];
    };
    expect(t2.info.environment_info.domain_name).toBe('telecom');
    expect(t2.tasks).toHaveLength(12);
    expect(t2.simulations).toHaveLength(12);
    for (const s of t2.simulations) {
      expect(s.reward_info.reward).toBe(1);
      expect(s.termination_reason).toBe('agent_stop');
      // τ²'s ActionCheck carries the gold action as the task file has it.
      for (const c of s.reward_info.action_checks) expect(c).toMatchObject({ action: { action_id: expect.any(String) as string, name: expect.any(String) as string }, action_match: true, action_reward: 1 });
    }
    expect(r.stdout).toMatch(/pass\^1\D+1(\.0+)?\b/);
  }, 120_000);

  it('--retrieval is refused on a domain without retrieval', async () => {
    const r = await tarl(['eval', '--data', join(tmp, 'telecom'), '--agent', 'oracle', '--retrieval', 'bm25', '--out', join(tmp, 'never')]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/--retrieval applies to the τ² banking_knowledge domain only/);
  });

  it('sandbox replay --benchmark tau2 prints one line per golden record, equal to the golden finals', async () => {
    const file = join(src, 'golden', 'retail_replay.jsonl');
    const r = await tarl(['sandbox', 'replay', '--benchmark', 'tau2', '--domain', 'retail', '--data', src, '--in', file]);
    expect(r.code, r.stderr).toBe(0);
    const golden = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { steps: { observation: string }[]; final: { db_hash: string; user_db_hash: string } });
    const ours = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { observations: string[]; db_hash: string; user_db_hash: string });
    expect(ours).toHaveLength(golden.length);
    ours.forEach((o, i) => {
      expect(o.observations).toEqual(golden[i]!.steps.map((s) => s.observation));
      expect(o.db_hash).toBe(golden[i]!.final.db_hash);
      expect(o.user_db_hash).toBe(golden[i]!.final.user_db_hash);
    });
  }, 60_000);
});
