import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { dumps } from '../src/py/dumps.ts';
import { parsePy } from '../src/py/parse.ts';
import { isDict, type PyDict } from '../src/py/value.ts';
import { stepsOfLine } from '../src/sandbox/replay.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { taubenchDir } from './support/taubench.ts';

const dir = taubenchDir();
const template = loadTaubenchWorld(dir, 'retail');

interface Tally {
  lines: number;
  steps: number;
  mismatches: string[];
}

/** Replays every line of a golden file and lists each difference (observation, hashes, records). */
function replayFile(file: string, checkTauHash: boolean): Tally {
  const tally: Tally = { lines: 0, steps: 0, mismatches: [] };
  const text = readFileSync(join(dir, 'golden', file), 'utf8');
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const n = tally.lines++;
    const golden = parsePy(line) as PyDict;
    const steps = stepsOfLine(golden);
    const recorded = golden.get('steps') as PyDict[];
    const sandbox = new Sandbox(template);
    try {
      steps.forEach((step, i) => {
        tally.steps++;
        const obs = sandbox.call(step.name, step.kwargs);
        if (obs !== recorded[i]!.get('observation')) tally.mismatches.push(`${file}:${n} step ${i} ${step.name}: ${obs.slice(0, 200)}`);
      });
      if (sandbox.stateHash() !== golden.get('state_hash')) tally.mismatches.push(`${file}:${n} state_hash`);
      if (checkTauHash && sandbox.world.tauDataHash() !== golden.get('tau_data_hash')) {
        tally.mismatches.push(`${file}:${n} tau_data_hash`);
      }
      const mine = sandbox.changedRecords();
      const changed = golden.get('changed') as PyDict;
      for (const [table, records] of changed) {
        for (const [key, record] of records as PyDict) {
          const ours = mine.get(table)?.get(key);
          if (!isDict(record) || !ours || dumps(ours) !== dumps(record)) tally.mismatches.push(`${file}:${n} record ${table}/${key}`);
        }
        const extra = [...(mine.get(table)?.keys() ?? [])].filter((k) => !(records as PyDict).has(k));
        if (extra.length > 0) tally.mismatches.push(`${file}:${n} unexpected changed ${table}/${extra.join(',')}`);
      }
    } finally {
      sandbox.close();
    }
  }
  return tally;
}

describe('retail parity with τ-bench golden vectors', () => {
  it('starts from the golden initial hashes', () => {
    const initial = parsePy(readFileSync(join(dir, 'golden/retail_initial.json'), 'utf8')) as PyDict;
    const sandbox = new Sandbox(template);
    expect(sandbox.stateHash()).toBe(initial.get('initial_state_hash'));
    expect(sandbox.world.tauDataHash()).toBe(initial.get('tau_data_hash'));
    sandbox.close();
  });

  // Line and step counts are the README's; every observation, hash and changed record must match.
  it.each([
    ['retail_dev_replay.jsonl', 20, 25, true],
    ['retail_test_replay.jsonl', 115, 582, true],
    ['retail_train_replay.jsonl', 500, 768, true],
    ['retail_fuzz_dev.jsonl', 400, 2247, true],
  ] as const)('%s: every line byte-identical', (file, lines, steps, tauHash) => {
    const tally = replayFile(file, tauHash);
    expect(tally.mismatches).toEqual([]);
    expect(tally.lines).toBe(lines);
    expect(tally.steps).toBe(steps);
  });

  // Reads share the template's parsed records across episodes; no vector may have changed one.
  it('leaves the shared seeded records intact after every vector', () => {
    for (const file of ['retail_test_replay.jsonl', 'retail_fuzz_dev.jsonl']) replayFile(file, false);
    expect(template.mutatedSharedRecords()).toEqual([]);
  });
});
