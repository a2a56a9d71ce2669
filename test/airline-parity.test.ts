import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumps } from '../src/py/dumps.ts';
import { parsePy } from '../src/py/parse.ts';
import { isDict, isList, type PyDict, type PyValue } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { airlineTemplate, taubenchDir } from './support/airline-world.ts';

interface GoldenStep {
  name: string;
  kwargs: PyDict;
  observation: string;
}

interface GoldenLine {
  steps: GoldenStep[];
  changed: PyDict;
  stateHash: string;
  tauDataHash: string;
}

function field(d: PyValue, key: string): PyValue {
  if (!isDict(d) || !d.has(key)) throw new Error(`golden line lacks '${key}'`);
  return d.get(key)!;
}

function readGolden(file: string): GoldenLine[] {
  const text = readFileSync(join(taubenchDir(), 'golden', file), 'utf8');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const line = parsePy(l);
      const steps = field(line, 'steps');
      if (!isList(steps)) throw new Error('steps must be a list');
      return {
        steps: steps.map((s) => ({
          name: field(s, 'name') as string,
          kwargs: field(s, 'kwargs') as PyDict,
          observation: field(s, 'observation') as string,
        })),
        changed: field(line, 'changed') as PyDict,
        stateHash: field(line, 'state_hash') as string,
        tauDataHash: field(line, 'tau_data_hash') as string,
      };
    });
}

/** Replays one golden line and lists every way it differs (empty: byte-identical parity). */
function mismatches(g: GoldenLine): string[] {
  const out: string[] = [];
  const sandbox = new Sandbox(airlineTemplate());
  try {
    g.steps.forEach((s, i) => {
      const got = sandbox.call(s.name, s.kwargs);
      if (got !== s.observation) out.push(`step ${i} ${s.name}: got ${JSON.stringify(got.slice(0, 300))}, want ${JSON.stringify(s.observation.slice(0, 300))}`);
    });
    if (sandbox.stateHash() !== g.stateHash) out.push('state hash differs');
    const ours = sandbox.changedRecords();
    const keysOurs = [...ours].flatMap(([t, m]) => [...m.keys()].map((k) => `${t}/${k}`)).sort();
    const keysGolden = [...g.changed].flatMap(([t, m]) => [...(m as PyDict).keys()].map((k) => `${t}/${k}`)).sort();
    if (keysOurs.join() !== keysGolden.join()) out.push(`changed records: got ${keysOurs.join()}, want ${keysGolden.join()}`);
    for (const [table, records] of g.changed) {
      for (const [key, record] of records as PyDict) {
        const mine = sandbox.world.recordText(table, key);
        if (mine !== dumps(record)) out.push(`${table}/${key} serialises differently: ${mine?.slice(0, 200)}`);
      }
    }
    if (sandbox.world.tauDataHash() !== g.tauDataHash) out.push('tau_data_hash differs');
  } finally {
    sandbox.close();
  }
  return out;
}

describe('airline parity with τ-bench golden vectors', () => {
  it('seeded world has the golden initial hashes and counts', () => {
    const initial = parsePy(readFileSync(join(taubenchDir(), 'golden', 'airline_initial.json'), 'utf8'));
    const t = airlineTemplate();
    expect(t.initialStateHash).toBe(field(initial, 'initial_state_hash'));
    const sandbox = new Sandbox(t);
    expect(sandbox.world.tauDataHash()).toBe(field(initial, 'tau_data_hash'));
    sandbox.close();
    const counts = field(initial, 'record_counts') as PyDict;
    for (const [table, n] of counts) expect(t.table(table).keys.length).toBe(n);
  });

  for (const file of ['airline_test_replay.jsonl', 'airline_fuzz_dev.jsonl']) {
    it(`${file}: every observation, changed record and hash matches`, () => {
      const lines = readGolden(file);
      expect(lines.length).toBeGreaterThan(0);
      const failures = lines.flatMap((g, i) => mismatches(g).map((m) => `line ${i}: ${m}`));
      expect(failures.slice(0, 20)).toEqual([]);
      // Reads share the template's parsed records across episodes; no vector may have changed one.
      expect(airlineTemplate().mutatedSharedRecords()).toEqual([]);
    });
  }
});
