import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateCalculation } from '../src/py/eval/calculate.ts';
import { TOO_LARGE } from '../src/py/eval/numbers.ts';
import { fromJs } from '../src/py/value.ts';
import { repoRoot } from './support/taubench.ts';

// Expressions with the output CPython 3.11.7 gave for τ-bench's calculate (generated once with
// Python: random token soups, random well-formed trees and hand-picked edge cases).
const cases = JSON.parse(readFileSync(join(repoRoot, 'test/fixtures/retail-calculate.json'), 'utf8')) as [string, string][];

describe('calculate matches CPython', () => {
  it('every recorded expression', () => {
    const wrong = cases
      .map(([e, want]) => ({ e: e.slice(0, 80), want, got: evaluateCalculation(e) }))
      .filter((c) => c.got !== c.want);
    expect(wrong).toEqual([]);
    expect(cases.length).toBeGreaterThan(5000);
  });

  it('handles non-str arguments as Python iterates them', () => {
    expect(evaluateCalculation(fromJs(['1', '+']))).toBe('Error: eval() arg 1 must be a string, bytes or code object');
    expect(evaluateCalculation(fromJs(['13']))).toBe('Error: invalid characters in expression');
    expect(evaluateCalculation(fromJs({}))).toBe('Error: eval() arg 1 must be a string, bytes or code object');
    expect(() => evaluateCalculation(fromJs(7))).toThrow("'int' object is not iterable");
    expect(() => evaluateCalculation(fromJs([1]))).toThrow("'in <string>' requires string as left operand, not int");
  });

  it('refuses ints too large to compute instead of hanging', () => {
    expect(evaluateCalculation('9**9**9')).toBe(`Error: ${TOO_LARGE}`);
    expect(evaluateCalculation('(-1)**9**9**9')).toBe(`Error: ${TOO_LARGE}`);
    expect(evaluateCalculation('9**999999')).toBe('Error: int too large to convert to float');
  });
});
