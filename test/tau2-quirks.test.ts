/**
 * Behaviours of τ²-bench found by our own fuzzing through τ²'s code (commit a2c0247, the golden
 * README's environment) beyond the golden dev files: each case is a sequence of calls on a fresh
 * environment and τ²'s exact observations.
 */
import { describe, expect, it } from 'vitest';
import { loadTau2World } from '../src/dataset/tau2.ts';
import { parsePy } from '../src/py/parse.ts';
import type { PyDict } from '../src/py/value.ts';
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
