import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { airline } from '../src/domains/airline/index.ts';
import { dumps } from '../src/py/dumps.ts';
import { PyFloat, type PyDict, type PyValue } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { airlineTemplate } from './support/airline-world.ts';

const template = airlineTemplate();

/** Real ids from the data, so hostile calls also reach the deep code paths. */
function realIds(): string[] {
  const t = template;
  const firstUsers = t.table('users').keys.slice(0, 5);
  const payments = firstUsers.flatMap((u) => {
    const text = t.originalText('users', u) ?? '';
    return [...text.matchAll(/"((?:credit_card|gift_card|certificate)_\d+)"/g)].map((m) => m[1]!);
  });
  return [
    ...firstUsers,
    ...t.table('reservations').keys.slice(0, 5),
    ...t.table('flights').keys.slice(0, 5),
    ...payments,
    'HATHAT', 'SFO', 'JFK', 'ORD', 'economy', 'business', 'basic_economy', 'yes', '2024-05-15', '2024-05-5', '+1',
  ];
}

const ids = realIds();
const pyString = fc.oneof(fc.constantFrom(...ids), fc.string({ unit: 'grapheme', maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 }));
const scalar: fc.Arbitrary<PyValue> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -1000, max: 1000 }),
  fc.double().map((x) => new PyFloat(x)),
  pyString,
);
const { value: pyValue } = fc.letrec<{ value: PyValue }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.array(fc.tuple(fc.oneof(pyString, fc.constantFrom('flight_number', 'date', 'payment_id', 'amount', 'first_name')), tie('value')), { maxLength: 4 })
      .map((entries): PyValue => new Map(entries)),
  ),
}));

/** Kwargs for a tool: its own parameter names mostly, sometimes one missing or one extra (maybe `data`). */
function kwargsFor(params: readonly string[]): fc.Arbitrary<PyDict> {
  return fc
    .tuple(
      fc.array(pyValue, { minLength: params.length, maxLength: params.length }),
      fc.option(fc.nat({ max: Math.max(0, params.length - 1) }), { freq: 4 }),
      fc.option(fc.tuple(fc.constantFrom('data', 'foo', 'user_id', 'kwargs'), pyValue), { freq: 4 }),
    )
    .map(([values, drop, extra]) => {
      const kw: PyDict = new Map(params.map((p, i) => [p, values[i]!]));
      if (drop !== null && params[drop] !== undefined) kw.delete(params[drop]!);
      if (extra !== null) kw.set(extra[0], extra[1]);
      return kw;
    });
}

describe('airline tools under hostile arguments', () => {
  for (const tool of airline.tools) {
    it(`${tool.name} always answers with a string and never an internal error`, () => {
      fc.assert(
        fc.property(kwargsFor(tool.py.params), (kwargs) => {
          const sandbox = new Sandbox(template);
          try {
            const out = sandbox.call(tool.name, kwargs);
            expect(typeof out).toBe('string');
            expect(out.startsWith('Error: internal')).toBe(false);
          } finally {
            sandbox.close();
          }
        }),
        { numRuns: 150 },
      );
    });
  }

  it('a random sequence of calls leaves a world that still hashes and serialises', () => {
    const call = fc.constantFrom(...airline.tools).chain((t) => kwargsFor(t.py.params).map((kw) => [t.name, kw] as const));
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 6 }), (calls) => {
        const sandbox = new Sandbox(template);
        try {
          for (const [name, kw] of calls) expect(sandbox.call(name, kw).startsWith('Error: internal')).toBe(false);
          expect(sandbox.stateHash()).toMatch(/^[0-9a-f]{64}$/);
          for (const records of sandbox.changedRecords().values()) for (const r of records.values()) dumps(r);
        } finally {
          sandbox.close();
        }
      }),
      { numRuns: 100 },
    );
  });
});
