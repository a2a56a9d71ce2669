/**
 * Python operations with Python's semantics and error texts, for tools that must behave like
 * τ-bench's code on hostile arguments (a list where a str belongs, a bool as an id, …).
 * Each helper throws `PyError` exactly where CPython 3.11 would raise.
 */
import { compareCodePoints } from './dumps.ts';
import { attributeError, indexError, keyError, notIterable, typeError } from './errors.ts';
import { pyRound } from './float.ts';
import { PyFloat, pyInt, typeName, type PyDict, type PyValue } from './value.ts';

/** Raise like `hash(v)` does for unhashable values. */
export function checkHashable(v: PyValue | undefined): void {
  if (Array.isArray(v) || v instanceof Map) throw typeError(`unhashable type: '${typeName(v)}'`);
}

/** `key in d` for a str-keyed dict (only a str can match; other hashables are simply absent). */
export function dictHas(d: PyDict, key: PyValue | undefined): boolean {
  checkHashable(key);
  return typeof key === 'string' && d.has(key);
}

/** `obj[key]` for dicts, lists and strs. */
export function getItem(obj: PyValue | undefined, key: PyValue | undefined): PyValue {
  if (obj instanceof Map) {
    checkHashable(key);
    if (typeof key === 'string') {
      const v = obj.get(key);
      if (v !== undefined) return v;
    }
    throw keyError(key);
  }
  if (Array.isArray(obj)) {
    const i = asIndex(key, 'list');
    const j = i < 0 ? obj.length + i : i;
    if (j < 0 || j >= obj.length) throw indexError('list index out of range');
    return obj[j]!;
  }
  if (typeof obj === 'string') {
    const i = asIndex(key, 'string');
    const j = i < 0 ? obj.length + i : i;
    if (j < 0 || j >= obj.length) throw indexError('string index out of range');
    return obj[j]!;
  }
  throw typeError(`'${typeName(obj)}' object is not subscriptable`);
}

function asIndex(key: PyValue | undefined, what: 'list' | 'string'): number {
  if (typeof key === 'number') return key;
  if (typeof key === 'bigint') return Number(key);
  if (typeof key === 'boolean') return key ? 1 : 0;
  if (what === 'list') throw typeError(`list indices must be integers or slices, not ${typeName(key)}`);
  throw typeError(`string indices must be integers, not '${typeName(key)}'`);
}

/** `obj[key] = value` on a dict or list. */
export function setItem(obj: PyValue | undefined, key: PyValue | undefined, value: PyValue): void {
  if (obj instanceof Map) {
    checkHashable(key);
    if (typeof key !== 'string') throw typeError('non-str keys are not supported in τ-bench data');
    obj.set(key, value);
    return;
  }
  if (Array.isArray(obj)) {
    const i = asIndex(key, 'list');
    const j = i < 0 ? obj.length + i : i;
    if (j < 0 || j >= obj.length) throw indexError('list assignment index out of range');
    obj[j] = value;
    return;
  }
  throw typeError(`'${typeName(obj)}' object does not support item assignment`);
}

/** `iter(v)`: a str yields characters (code points), a dict its keys. */
export function iterate(v: PyValue | undefined): PyValue[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (v instanceof Map) return [...v.keys()];
  throw notIterable(v);
}

/** `len(v)`. */
export function len(v: PyValue | undefined): number {
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'string') return [...v].length;
  if (v instanceof Map) return v.size;
  throw typeError(`object of type '${typeName(v)}' has no len()`);
}

/** `s.lower()`. */
export function lower(v: PyValue | undefined): string {
  if (typeof v !== 'string') throw attributeError(v, 'lower');
  return v.toLowerCase();
}

/** The number a numeric value stands for (a bigint stays exact; JS compares it with numbers exactly). */
function numeric(v: PyValue | undefined): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

/** Python `==`. */
export function eq(a: PyValue | undefined, b: PyValue | undefined): boolean {
  return a === b || eqValue(a, b);
}

// Containers compare elements with an identity shortcut first (PyObject_RichCompareBool), so
// the one shared NaN that json.loads produces equals itself inside lists.
function eqValue(a: PyValue | undefined, b: PyValue | undefined): boolean {
  const x = numeric(a);
  const y = numeric(b);
  // `==` (not `===`): a bigint equals a number exactly when their values are equal.
  if (x !== undefined || y !== undefined) return x !== undefined && y !== undefined && x == y;
  if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((v, i) => eq(v, b[i]));
  }
  if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
  for (const [k, v] of a) if (!b.has(k) || !eq(v, b.get(k))) return false;
  return true;
}

/** `x in container` for lists, strs (substring) and dicts (key). */
export function contains(container: PyValue | undefined, x: PyValue | undefined): boolean {
  if (Array.isArray(container)) return container.some((v) => eq(v, x));
  if (typeof container === 'string') {
    if (typeof x !== 'string') throw typeError(`'in <string>' requires string as left operand, not ${typeName(x)}`);
    return container.includes(x);
  }
  if (container instanceof Map) return dictHas(container, x);
  throw typeError(`argument of type '${typeName(container)}' is not iterable`);
}

/** `seq.count(x)`: list equality count, or a str's non-overlapping substring count. */
export function count(seq: PyValue | undefined, x: PyValue | undefined): number {
  if (Array.isArray(seq)) return seq.filter((v) => eq(v, x)).length;
  if (typeof seq === 'string') {
    if (typeof x !== 'string') throw typeError(`must be str, not ${typeName(x)}`);
    if (x === '') return [...seq].length + 1;
    return seq.split(x).length - 1;
  }
  throw attributeError(seq, 'count');
}

/** Python truthiness. */
export function truthy(v: PyValue | undefined): boolean {
  if (v === null || v === undefined || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return true; // never 0 (normal form)
  if (typeof v === 'string') return v.length > 0;
  if (v instanceof PyFloat) return v.value !== 0;
  if (Array.isArray(v)) return v.length > 0;
  return v.size > 0;
}

type Num = number | bigint | PyFloat;

const BIG_OPS: Record<string, (x: bigint, y: bigint) => bigint> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
};

/**
 * A numeric binary operator with Python's typing: float if either side is a float, else an
 * exact int (computed as bigints whenever a side or the result leaves the safe range).
 */
function binaryNumeric(op: string, a: PyValue | undefined, b: PyValue | undefined, f: (x: number, y: number) => number): Num {
  const x = numeric(a);
  const y = numeric(b);
  if (x === undefined || y === undefined) {
    throw typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
  }
  if (a instanceof PyFloat || b instanceof PyFloat) return new PyFloat(f(Number(x), Number(y)));
  const big = BIG_OPS[op.replace('=', '')];
  if (typeof x === 'bigint' || typeof y === 'bigint') return pyInt(big!(BigInt(x), BigInt(y)));
  const r = f(x, y);
  return Number.isSafeInteger(r) || !big ? r : pyInt(big(BigInt(x), BigInt(y)));
}

/** `a + b` (numbers, str + str, list + list). */
export function add(a: PyValue | undefined, b: PyValue | undefined): PyValue {
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (typeof a === 'string' || Array.isArray(a)) {
    if (numeric(b) !== undefined || b === null || b instanceof Map || typeof b === 'string' || Array.isArray(b)) {
      throw typeError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
    }
  }
  return binaryNumeric('+', a, b, (x, y) => x + y);
}

/** `a - b`. */
export function sub(a: PyValue | undefined, b: PyValue | undefined): Num {
  return binaryNumeric('-', a, b, (x, y) => x - y);
}

/** `a * b` for numbers. */
export function mul(a: PyValue | undefined, b: PyValue | undefined): Num {
  return binaryNumeric('*', a, b, (x, y) => x * y);
}

/** `abs(x)`. */
export function abs(v: PyValue | undefined): Num {
  if (typeof v === 'number') return Math.abs(v);
  if (typeof v === 'bigint') return v < 0n ? -v : v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return new PyFloat(Math.abs(v.value));
  throw typeError(`bad operand type for abs(): '${typeName(v)}'`);
}

/** Ordering comparisons (`<`, `<=`, `>`, `>=`) on numbers or on strs. */
export function compare(op: '<' | '<=' | '>' | '>=', a: PyValue | undefined, b: PyValue | undefined): boolean {
  const x = numeric(a);
  const y = numeric(b);
  let c: number;
  if (x !== undefined && y !== undefined) c = x < y ? -1 : x > y ? 1 : x <= y ? 0 : NaN;
  else if (typeof a === 'string' && typeof b === 'string') c = compareCodePoints(a, b);
  else throw typeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`);
  if (Number.isNaN(c)) return false;
  switch (op) {
    case '<': return c < 0;
    case '<=': return c <= 0;
    case '>': return c > 0;
    case '>=': return c >= 0;
  }
}

/** `round(x, ndigits)`: an int (or bool) stays an int, a float is rounded as CPython does. */
export function round(v: PyValue | undefined, ndigits: number): Num {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return new PyFloat(pyRound(v.value, ndigits));
  throw typeError(`type ${typeName(v)} doesn't define __round__ method`);
}

/** Python `a < b`, including lists (lexicographic) and strs (by code point). */
export function lessThan(a: PyValue | undefined, b: PyValue | undefined): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (!eq(a[i], b[i])) return lessThan(a[i], b[i]);
    return a.length < b.length;
  }
  return compare('<', a, b);
}

/**
 * `sorted(iterable)`: a stable binary insertion sort that only asks `pivot < other`, the
 * comparisons CPython's timsort makes on short lists, so mixed types fail with its message.
 */
export function sorted(v: PyValue | undefined): PyValue[] {
  const out = [...iterate(v)];
  for (let i = 1; i < out.length; i++) {
    const pivot = out[i]!;
    let lo = 0;
    let hi = i;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (lessThan(pivot, out[mid])) hi = mid;
      else lo = mid + 1;
    }
    out.splice(i, 1);
    out.splice(lo, 0, pivot);
  }
  return out;
}
