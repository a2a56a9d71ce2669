/** Python's `format(x, '.Nf')` (`f"{x:.2f}"`) for ints, floats and bools; other types raise as CPython. */
import { typeError, valueError } from './errors.ts';
import { pyRound } from './float.ts';
import { PyFloat, typeName, type PyValue } from './value.ts';

/** The decimal digits of a finite non-negative double, fixed-point with `digits` decimals, exactly. */
function fixedDigits(r: number, digits: number): string {
  // toFixed switches to exponent form from 1e21; doubles that large are integers, so their
  // exact decimal expansion is the BigInt's.
  if (r >= 1e21) return BigInt(r).toString() + (digits > 0 ? '.' + '0'.repeat(digits) : '');
  return r.toFixed(digits);
}

export function formatFixed(v: PyValue | undefined, digits = 2): string {
  let x: number;
  if (typeof v === 'number' || typeof v === 'bigint') x = Number(v);
  else if (typeof v === 'boolean') x = v ? 1 : 0;
  else if (v instanceof PyFloat) x = v.value;
  else if (typeof v === 'string') throw valueError("Unknown format code 'f' for object of type 'str'");
  else throw typeError(`unsupported format string passed to ${typeName(v)}.__format__`);
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const r = pyRound(x, digits);
  const s = fixedDigits(Math.abs(r), digits);
  return (r < 0 || Object.is(r, -0) || (x < 0 && Number(s) === 0) ? '-' : '') + s;
}
