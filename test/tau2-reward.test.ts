/**
 * τ²-bench's reward on its gold trajectories: every golden replay record's reward components
 * (DB, ENV_ASSERTION with each assertion, ACTION per gold action, COMMUNICATE per string,
 * NL_ASSERTION where no judge is needed) and the reward itself, computed without an LLM.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTau2Tasks, loadTau2World } from '../src/dataset/tau2.ts';
import type { Tau2Message } from '../src/episode/tau2-messages.ts';
import { parsePy } from '../src/py/parse.ts';
import { PyFloat, type PyDict, type PyValue } from '../src/py/value.ts';
import { evaluateTau2 } from '../src/verify/tau2-reward.ts';
import type { Tau2DomainName } from '../src/sandbox/tau2/world.ts';
import { tau2benchDir } from './support/tau2bench.ts';

const dir = tau2benchDir();

/** The trajectory the golden generator evaluated: each gold call and its result, then one reply. */
export function goldTrajectory(record: PyDict): Tau2Message[] {
  const messages: Tau2Message[] = [];
  for (const s of record.get('steps') as PyDict[]) {
    const requestor = s.get('requestor') as 'user' | 'assistant';
    const id = s.get('action_id') as string;
    messages.push({ role: requestor, content: null, toolCalls: [{ id, name: s.get('name') as string, arguments: s.get('arguments') as PyDict, requestor }] });
    messages.push({ role: 'tool', id, content: s.get('observation') as string, error: s.get('error') as boolean, requestor });
  }
  messages.push({ role: 'assistant', content: record.get('final_agent_message') as string });
  return messages;
}

const num = (v: PyValue | undefined): number | null => (v instanceof PyFloat ? v.value : typeof v === 'number' ? v : null);

async function rewardMismatches(domain: Tau2DomainName, file: string): Promise<{ lines: number; mismatches: string[] }> {
  const world = loadTau2World(dir, domain);
  const byId = new Map(loadTau2Tasks(dir, domain).tasks.map((t) => [t.id, t]));
  const mismatches: string[] = [];
  let lines = 0;
  for (const line of readFileSync(join(dir, 'golden', file), 'utf8').split('\n')) {
    if (line === '') continue;
    lines++;
    const record = parsePy(line) as PyDict;
    const task = byId.get(record.get('task_id') as string)!;
    const want = record.get('reward') as PyDict;
    const got = await evaluateTau2(world, task, goldTrajectory(record), { termination: 'agent_stop' });
    const where = `${file}:${lines - 1} ${task.id}`;
    for (const c of ['DB', 'ENV_ASSERTION', 'ACTION', 'COMMUNICATE', 'NL_ASSERTION'] as const) {
      if (num(want.get(c)) !== got.components[c]) mismatches.push(`${where} ${c}: want ${String(num(want.get(c)))} got ${String(got.components[c])}`);
    }
    if (num(want.get('reward')) !== got.reward) mismatches.push(`${where} reward: want ${String(num(want.get('reward')))} got ${String(got.reward)}`);
    const actions = (want.get('action_checks') as boolean[]) ?? [];
    if (JSON.stringify(actions) !== JSON.stringify(got.actionChecks)) mismatches.push(`${where} action_checks`);
    const comm = (want.get('communicate_checks') as boolean[]) ?? [];
    if (JSON.stringify(comm) !== JSON.stringify(got.communicateChecks)) mismatches.push(`${where} communicate_checks`);
    const asserts = ((want.get('env_assertions') as PyDict[]) ?? []).map((a) => a.get('met'));
    if (JSON.stringify(asserts) !== JSON.stringify(got.envAssertions.map((a) => a.met))) mismatches.push(`${where} env_assertions`);
  }
  return { lines, mismatches };
}

describe('τ²-bench reward on the golden gold trajectories', () => {
  it.each([
    ['airline', 'airline_replay.jsonl', 43],
    ['retail', 'retail_replay.jsonl', 112],
    ['telecom', 'telecom_replay.jsonl', 134],
    ['banking_knowledge', 'banking_knowledge_replay.jsonl', 97],
  ] as const)('%s: every component equals τ²-bench’s', async (domain, file, lines) => {
    const r = await rewardMismatches(domain, file);
    expect(r.mismatches).toEqual([]);
    expect(r.lines).toBe(lines);
  });
});
