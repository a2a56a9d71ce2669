/**
 * Behaviours of τ²-bench found by our own fuzzing through τ²'s code (commit a2c0247, the golden
 * README's environment) beyond the golden dev files: each case is a sequence of calls on a fresh
 * environment and τ²'s exact observations.
 */
import { describe, expect, it } from 'vitest';
import { loadTau2World } from '../src/dataset/tau2.ts';
import { formatFixed } from '../src/py/format-fixed.ts';
import { jsonLoads } from '../src/py/json.ts';
import { parsePy } from '../src/py/parse.ts';
import { PyFloat, type PyDict } from '../src/py/value.ts';
import type { Tau2DomainName } from '../src/sandbox/tau2/world.ts';
import { tau2benchDir } from './support/tau2bench.ts';

const dir = tau2benchDir();

interface Case {
  domain: Tau2DomainName;
  what: string;
  steps: [name: string, requestor: 'user' | 'assistant', args: string, observation: string][];
}

const CASES: Case[] = [
  {
    domain: 'telecom',
    what: 'set_apn_settings stores a non-model value before failing; check_apn_settings then fails on model_copy',
    steps: [
      ['set_apn_settings', 'user', '{"apn_settings": 0}', "Error: 'int' object has no attribute 'apn_name'"],
      ['check_apn_settings', 'user', '{}', "Error: 'int' object has no attribute 'model_copy'"],
    ],
  },
  {
    domain: 'telecom',
    what: "a charge past 1e21 prints with all its digits under '.2f'",
    steps: [
      [
        'refuel_data',
        'assistant',
        '{"customer_id": "C1001", "line_id": "L1002", "gb_amount": 1000000000000000000000000000000}',
        '{"message": "Successfully added 1000000000000000000000000000000 GB of data for line L1002 for $2000000000000000039769249677312.00", "new_data_refueling_gb": "1e+30", "charge": "2e+30"}',
      ],
    ],
  },
];

describe('τ² quirks found by fuzzing τ²-bench itself', () => {
  for (const c of CASES) {
    it(`${c.domain}: ${c.what}`, () => {
      const env = loadTau2World(dir, c.domain).environment();
      const seen = c.steps.map(([name, requestor, args], i) => {
        const r = env.getResponse({ id: `c${i}`, name, arguments: parsePy(args) as PyDict, requestor });
        env.sync();
        return r.content;
      });
      expect(seen).toEqual(c.steps.map((s) => s[3]));
    });
  }
});

describe('CPython texts found the same way', () => {
  it("json.loads of a str with a BOM, format(x, '.2f') of large and tied values", () => {
    expect(() => jsonLoads('\ufeff{}')).toThrow('Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0)');
    expect(formatFixed(new PyFloat(2e30))).toBe('2000000000000000039769249677312.00');
    expect(formatFixed(10n ** 30n)).toBe('1000000000000000019884624838656.00');
    expect(formatFixed(new PyFloat(-1e22))).toBe('-10000000000000000000000.00');
    expect(formatFixed(new PyFloat(0.125))).toBe('0.12');
    expect(() => formatFixed('3')).toThrow("Unknown format code 'f' for object of type 'str'");
    expect(() => formatFixed(null)).toThrow('unsupported format string passed to NoneType.__format__');
  });
});
