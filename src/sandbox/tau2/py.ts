/**
 * Small Python idioms τ²-bench's tools use, with CPython's semantics and error texts.
 */
import { valueError } from '../../py/errors.ts';
import { checkHashable, eq, iterate } from '../../py/ops.ts';
import { modelOf, reprPy } from '../../py/pydantic.ts';
import { pyStr } from '../../py/repr.ts';
import type { PyDict, PyValue } from '../../py/value.ts';
import type { BoundArgs } from '../tool.ts';

/** A bound argument (binding already raised Python's TypeError for a missing one). */
export function arg(args: BoundArgs, name: string): PyValue {
  const v = args[name];
  if (v === undefined) throw new Error(`argument '${name}' was not bound`);
  return v;
}

/** `format(v)` as an f-string does: `str()`, with pydantic's `field=value …` for model instances. */
export function fstr(v: PyValue | undefined): string {
  const spec = modelOf(v);
  if (spec) return spec.fields.map((f) => `${f.name}=${reprPy((v as PyDict).get(f.name), f.type)}`).join(' ');
  if (v instanceof Map || Array.isArray(v)) return reprPy(v);
  return pyStr(v);
}

/** `key in d` for a dict with str keys (unhashable keys raise TypeError). */
export function dictHas(d: PyDict, key: PyValue | undefined): key is string {
  checkHashable(key);
  return typeof key === 'string' && d.has(key);
}

/** `all(isinstance(x, dict) for x in v)` (iterating raises as Python does; models are not dicts). */
export function allDicts(v: PyValue | undefined): boolean {
  return iterate(v).every((x) => x instanceof Map && modelOf(x) === undefined);
}

/** `next((x for x in xs if pred(x)), None)`. */
export function firstWhere(xs: PyValue | undefined, pred: (x: PyValue) => boolean): PyValue | undefined {
  for (const x of iterate(xs)) if (pred(x)) return x;
  return undefined;
}

/** `x in (a, b, …)` for str constants. */
export function inStrs(x: PyValue | undefined, values: readonly string[]): boolean {
  checkHashable(x);
  return values.some((v) => eq(x, v));
}

export { valueError };
