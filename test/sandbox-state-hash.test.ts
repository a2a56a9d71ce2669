import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Domain, WorldData } from '../src/domains/domain.ts';
import { canonical } from '../src/py/dumps.ts';
import { PyFloat, type PyDict, type PyValue } from '../src/py/value.ts';
import { WorldTemplate } from '../src/sandbox/template.ts';
import { World } from '../src/sandbox/world.ts';

// A toy domain: the state hash machinery does not depend on any tool.
const domain = { name: 'retail', tables: ['users', 'empty', 'orders'], tools: [], indexes: {} } as unknown as Domain;

const doc = (n: number): PyDict => new Map<string, PyValue>([['n', n], ['price', new PyFloat(n + 0.5)], ['tag', `t${n}`]]);
const seeded = (): WorldData =>
  new Map([
    ['users', new Map(['u3', 'u1', 'u10', 'ü2', '😀'].map((k, i) => [k, doc(i)]))],
    ['empty', new Map()],
    ['orders', new Map(['#W1', '#W5', '#W3'].map((k, i) => [k, doc(10 + i)]))],
  ]);

function expected(data: WorldData): string {
  const obj: PyDict = new Map([...data].map(([t, m]) => [t, new Map(m) as PyDict]));
  return createHash('sha256').update(canonical(obj)).digest('hex');
}

describe('World.stateHash after writes', () => {
  const template = WorldTemplate.build(domain, seeded());
  it('equals the canonical hash of the whole data after random edits and additions', () => {
    const key = fc.constantFrom('u1', 'u3', 'u10', 'ü2', '😀', 'a0', 'zz', 'u2', '#W1', '#W4', '#W9', 'e1', 'e2', '~');
    const edit = fc.record({ table: fc.constantFrom('users', 'empty', 'orders'), key, n: fc.integer({ min: -5, max: 99 }) });
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 8 }), (edits) => {
        const data = seeded();
        const world = new World(template);
        try {
          for (const e of edits) {
            data.get(e.table)!.set(e.key, doc(e.n));
            world.set(e.table, e.key, doc(e.n));
          }
          expect(world.stateHash()).toBe(expected(data));
        } finally {
          world.close();
        }
      }),
      { numRuns: 300 },
    );
  });
  it('an untouched world hashes to the template initial hash', () => {
    const world = new World(template);
    expect(world.stateHash()).toBe(template.initialStateHash);
    expect(world.stateHash()).toBe(expected(seeded()));
    world.close();
  });
});
