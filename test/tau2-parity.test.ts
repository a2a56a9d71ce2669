/**
 * τ²-bench parity: every line of every golden replay and fuzz file replayed through our τ²
 * worlds — each observation byte-identical, each error flag, and the agent and user database
 * hashes after initialisation, after every step and at the end.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTau2Tasks, loadTau2World } from '../src/dataset/tau2.ts';
import { parsePy } from '../src/py/parse.ts';
import type { PyDict } from '../src/py/value.ts';
import { initialEnvironment, replayRecordOf } from '../src/sandbox/tau2/replay.ts';
import { ProcessState, type Tau2DomainName } from '../src/sandbox/tau2/world.ts';
import { tau2benchDir } from './support/tau2bench.ts';

const dir = tau2benchDir();

interface Tally {
  lines: number;
  steps: number;
  mismatches: string[];
}

/** Replays a golden file as its generator did: one Python process for the whole file. */
export function replayGoldenFile(domain: Tau2DomainName, file: string): Tally {
  const world = loadTau2World(dir, domain);
  const byId = new Map(loadTau2Tasks(dir, domain).tasks.map((t) => [t.id, t]));
  const process = new ProcessState();
  const tally: Tally = { lines: 0, steps: 0, mismatches: [] };
  for (const line of readFileSync(join(dir, 'golden', file), 'utf8').split('\n')) {
    if (line === '') continue;
    const n = tally.lines++;
    const raw = parsePy(line) as PyDict;
    const record = replayRecordOf(raw, `${file}:${n}`);
    const task = byId.get(record.taskId);
    if (!task) {
      tally.mismatches.push(`${file}:${n} unknown task ${record.taskId}`);
      continue;
    }
    let bills = 0;
    const env = initialEnvironment(world, task, { process, newBillId: () => `Babcdef${String(++bills).padStart(2, '0')}` });
    const init = raw.get('init') as PyDict;
    if (env.dbHash() !== init.get('db_hash') || env.userDbHash() !== init.get('user_db_hash')) tally.mismatches.push(`${file}:${n} init hashes`);
    const steps = raw.get('steps') as PyDict[];
    record.steps.forEach((s, i) => {
      tally.steps++;
      const golden = steps[i]!;
      const r = env.getResponse({ id: String(i), name: s.name, arguments: s.arguments, requestor: s.requestor });
      env.sync();
      if (r.content !== golden.get('observation')) tally.mismatches.push(`${file}:${n} step ${i} ${s.name}: ${r.content.slice(0, 160)}`);
      if (r.error !== golden.get('error')) tally.mismatches.push(`${file}:${n} step ${i} error flag`);
      if (env.dbHash() !== golden.get('db_hash')) tally.mismatches.push(`${file}:${n} step ${i} db_hash`);
      if (env.userDbHash() !== golden.get('user_db_hash')) tally.mismatches.push(`${file}:${n} step ${i} user_db_hash`);
    });
    const final = raw.get('final') as PyDict;
    if (env.dbHash() !== final.get('db_hash') || env.userDbHash() !== final.get('user_db_hash')) tally.mismatches.push(`${file}:${n} final hashes`);
  }
  return tally;
}

const DOMAINS: readonly Tau2DomainName[] = ['airline', 'retail', 'telecom', 'banking_knowledge'];

describe('τ²-bench parity with the golden vectors', () => {
  it.each(DOMAINS)('%s: a fresh environment has the pristine hashes', (domain) => {
    const initial = parsePy(readFileSync(join(dir, 'golden', `${domain}_initial.json`), 'utf8')) as PyDict;
    const env = loadTau2World(dir, domain).environment();
    expect(env.dbHash()).toBe(initial.get('db_hash'));
    expect(env.userDbHash()).toBe(initial.get('user_db_hash'));
  });

  // Line and step counts are the golden README's; every observation, flag and hash must match.
  it.each([
    ['airline', 'airline_replay.jsonl', 43, 142],
    ['airline', 'airline_fuzz_dev.jsonl', 200, 1092],
    ['retail', 'retail_replay.jsonl', 112, 550],
    ['retail', 'retail_fuzz_dev.jsonl', 200, 1092],
    ['telecom', 'telecom_replay.jsonl', 134, 543],
    ['telecom', 'telecom_fuzz_dev.jsonl', 200, 1112],
    ['banking_knowledge', 'banking_knowledge_replay.jsonl', 97, 955],
    ['banking_knowledge', 'banking_knowledge_fuzz_dev.jsonl', 200, 1105],
  ] as const)('%s %s: every line byte-identical', (domain, file, lines, steps) => {
    const tally = replayGoldenFile(domain, file);
    expect(tally.mismatches).toEqual([]);
    expect(tally.lines).toBe(lines);
    expect(tally.steps).toBe(steps);
  });

  // Episodes share the template's records until they write; no vector may have changed one.
  it.each(DOMAINS)('%s: the shared templates are intact after every vector', (domain) => {
    const world = loadTau2World(dir, domain);
    const env = world.environment();
    expect(env.dbHash()).toBe(world.pristine().dbHash);
  });
});
