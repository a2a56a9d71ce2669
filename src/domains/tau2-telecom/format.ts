/** Python's `format(x, '.Nf')` for ints and floats (exact half-even rounding, as CPython). */
import { typeError } from '../../py/errors.ts';
import { pyRound } from '../../py/float.ts';
import { PyFloat, typeName, type PyValue } from '../../py/value.ts';

export function formatFixed(v: PyValue | undefined, digits: number): string {
  let x: number;
  if (typeof v === 'number' || typeof v === 'bigint') x = Number(v);
  else if (typeof v === 'boolean') x = v ? 1 : 0;
  else if (v instanceof PyFloat) x = v.value;
  else throw typeError(`unsupported format string passed to ${typeName(v)}.__format__`);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const r = pyRound(x, digits);
  const s = Math.abs(r).toFixed(digits);
  return (r < 0 || Object.is(r, -0) || (x < 0 && Number(s) === 0) ? '-' : '') + s;
}

export const format2f = (v: PyValue | undefined): string => formatFixed(v, 2);
