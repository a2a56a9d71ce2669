/**
 * Python idioms the banking tools use on plain dict rows and raw arguments, with CPython's
 * semantics and error texts: truthiness, `str.title()`, `.replace()`, `.upper()`, `"sep".join`,
 * `f"{x:.2f}"`, `dict.get`, `float(x)`, `x in [..]`.
 */
import { PyError, typeError, valueError, attributeError } from '../../py/errors.ts';
import { formatFixed } from '../../py/format-fixed.ts';
import { checkHashable, eq, truthy } from '../../py/ops.ts';
import { fstr } from '../../sandbox/tau2/py.ts';
import { PyFloat, typeName, type PyDict, type PyValue } from '../../py/value.ts';

export { truthy, fstr };

/** `not x`. */
export const falsy = (v: PyValue | undefined): boolean => !truthy(v);

/** `x in [a, b, …]` (list membership by `==`). */
export const inList = (x: PyValue | undefined, xs: readonly PyValue[]): boolean => xs.some((y) => eq(x, y));

/** `d.get(k, default)` on a dict (unhashable keys raise). */
export function get(d: PyValue | undefined, key: PyValue, dflt: PyValue = null): PyValue {
  if (!(d instanceof Map)) throw attributeError(d, 'get');
  checkHashable(key);
  if (typeof key !== 'string') return dflt;
  const v = d.get(key);
  return v === undefined ? dflt : v;
}

/** `s.title()`: a cased letter after an uncased character starts upper, others lower. */
export function title(s: PyValue | undefined): string {
  if (typeof s !== 'string') throw attributeError(s, 'title');
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    const cased = ch.toLowerCase() !== ch.toUpperCase();
    out += cased ? (prevCased ? ch.toLowerCase() : ch.toUpperCase()) : ch;
    prevCased = cased;
  }
  return out;
}

/** `s.replace(a, b)`. */
export function replace(s: PyValue | undefined, a: string, b: string): string {
  if (typeof s !== 'string') throw attributeError(s, 'replace');
  return s.replaceAll(a, b);
}

export function upper(s: PyValue | undefined): string {
  if (typeof s !== 'string') throw attributeError(s, 'upper');
  return s.toUpperCase();
}

export function lowerStr(s: PyValue | undefined): string {
  if (typeof s !== 'string') throw attributeError(s, 'lower');
  return s.toLowerCase();
}

/** `"sep".join(items)`: every item must be a str. */
export function join(sep: string, items: readonly PyValue[]): string {
  items.forEach((x, i) => {
    if (typeof x !== 'string') throw typeError(`sequence item ${i}: expected str instance, ${typeName(x)} found`);
  });
  return items.join(sep);
}

/** `format(x, '.2f')` (and other `.Nf`) for ints, floats and bools; other types raise as Python. */
export function fixed(v: PyValue | undefined, digits = 2): string {
  return formatFixed(v, digits);
}

/** `float(x)`: numbers, numeric strs (Python's literal rules); ValueError/TypeError otherwise. */
export function toFloat(v: PyValue | undefined): PyFloat {
  if (v instanceof PyFloat) return v;
  if (typeof v === 'number' || typeof v === 'bigint') return new PyFloat(Number(v));
  if (typeof v === 'boolean') return new PyFloat(v ? 1 : 0);
  if (typeof v === 'string') {
    const s = v.trim().replaceAll('_', '');
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return new PyFloat(Number(s));
    const low = s.toLowerCase().replace(/^\+/, '');
    if (low === 'inf' || low === 'infinity') return new PyFloat(Infinity);
    if (low === '-inf' || low === '-infinity') return new PyFloat(-Infinity);
    if (low === 'nan' || low === '-nan') return new PyFloat(NaN);
    throw valueError(`could not convert string to float: ${fstrRepr(v)}`);
  }
  throw typeError(`float() argument must be a string or a real number, not '${typeName(v)}'`);
}

function fstrRepr(s: string): string {
  return fstr([s]).slice(1, -1);
}

/** A row of a table as a dict (rows are plain dicts). */
export function asDict(v: PyValue | undefined, what: string): PyDict {
  if (!(v instanceof Map)) throw new PyError('TypeError', `${what} is not a dict`);
  return v;
}
