/**
 * τ²-bench's `calculate` (airline, retail): the same character check and
 * `str(round(float(eval(expression)), 2))` as τ-bench, but failures raise (so the observation
 * is `Error: Invalid characters in expression`, capitalised as τ² writes it).
 */
import { typeError, valueError } from '../../py/errors.ts';
import { evalExpression } from '../../py/eval/calculate.ts';
import { toFloat } from '../../py/eval/numbers.ts';
import { floatRepr, pyRound } from '../../py/float.ts';
import { contains, iterate } from '../../py/ops.ts';
import type { PyValue } from '../../py/value.ts';

const ALLOWED = '0123456789+-*/(). ';

export function calculate(expression: PyValue | undefined): string {
  for (const ch of iterate(expression)) if (!contains(ALLOWED, ch)) throw valueError('Invalid characters in expression');
  if (typeof expression !== 'string') throw typeError('eval() arg 1 must be a string, bytes or code object');
  return floatRepr(pyRound(toFloat(evalExpression(expression)), 2));
}
