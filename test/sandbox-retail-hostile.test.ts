import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { retail } from '../src/domains/retail/index.ts';
import { parsePy } from '../src/py/parse.ts';
import { fromJs, type PyDict } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { repoRoot, taubenchDir } from './support/taubench.ts';

const dir = taubenchDir();
const template = loadTaubenchWorld(dir, 'retail');
const names = retail.tools.map((t) => t.name);
const params = [...new Set(retail.tools.flatMap((t) => t.py.params)), 'data', 'foo'];

const hostile = fc.oneof(
  fc.jsonValue(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom('#W2611340', 'noah_brown_6181', '6469567736', 'gift_card_1725971', '', '\u2028', '😀', "'; --"),
  fc.array(fc.constantFrom('6469567736', '8426249116', '1', 'x'), { maxLength: 4 }),
  fc.constant('x'.repeat(5000)),
);

describe('retail tools on hostile arguments', () => {
  it('never throw and always give a string', () => {
    const sandbox = new Sandbox(template);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.dictionary(fc.constantFrom(...params), hostile, { maxKeys: 8 }), (name, kwargs) => {
        const obs = sandbox.call(name, fromJs(kwargs) as PyDict);
        expect(typeof obs).toBe('string');
        expect(obs.startsWith('Error: internal')).toBe(false);
      }),
      { numRuns: 1500, seed: 42 },
    );
    sandbox.close();
  });

  it('unknown tool names give τ-bench text', () => {
    const sandbox = new Sandbox(template);
    expect(sandbox.call('', {})).toBe('Unknown action ');
    expect(sandbox.call('GET_ORDER_DETAILS', {})).toBe('Unknown action GET_ORDER_DETAILS');
    sandbox.close();
  });
});

describe('tarl sandbox replay (subprocess)', () => {
  it('reproduces golden observations and state hashes', () => {
    const lines = readFileSync(join(dir, 'golden/retail_fuzz_dev.jsonl'), 'utf8').split('\n').slice(0, 5);
    const tmp = mkdtempSync(join(tmpdir(), 'tarl-replay-'));
    const input = join(tmp, 'in.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');
    const r = spawnSync('node', ['bin/tarl.js', 'sandbox', 'replay', '--domain', 'retail', '--data', dir, '--in', input], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    rmSync(tmp, { recursive: true, force: true });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = r.stdout.trim().split('\n').map((l) => parsePy(l) as PyDict);
    expect(out.length).toBe(5);
    out.forEach((o, i) => {
      const golden = parsePy(lines[i]!) as PyDict;
      expect(o.get('state_hash')).toBe(golden.get('state_hash'));
      expect(o.get('observations')).toEqual((golden.get('steps') as PyDict[]).map((s) => s.get('observation')));
    });
  });
});
