/**
 * Python values as τ-bench holds them. JSON alone loses two facts a Python program keeps:
 * whether a number is an int or a float (`247.0` vs `247`), and the insertion order of dict
 * keys (JS objects hoist integer-like keys). So ints are JS numbers, floats are boxed in
 * `PyFloat`, and dicts are `Map`s. An int outside JS's safe range (|n| > 2^53 − 1) is a
 * `bigint`, so Python's exact integers survive (`9007199254740993` stays itself); use `pyInt`
 * to build ints, which keeps that normal form.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

export type PyDict = Map<string, PyValue>;
export type PyList = PyValue[];
export type PyValue = null | boolean | number | bigint | PyFloat | string | PyList | PyDict;

export const pyFloat = (value: number): PyFloat => new PyFloat(value);

/** An int in normal form: a JS number when it is a safe integer, else a bigint. */
export function pyInt(v: bigint | number): number | bigint {
  if (typeof v === 'number') return v === 0 ? 0 : v;
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

/** Python int (not bool): a safe JS integer or a bigint. */
export function isInt(v: PyValue | undefined): v is number | bigint {
  return typeof v === 'number' || typeof v === 'bigint';
}

export function isDict(v: PyValue | undefined): v is PyDict {
  return v instanceof Map;
}

export function isList(v: PyValue | undefined): v is PyList {
  return Array.isArray(v);
}

export function isFloat(v: PyValue | undefined): v is PyFloat {
  return v instanceof PyFloat;
}

/** int or float (Python's bool is an int subclass, but callers decide whether it counts). */
export function isNumber(v: PyValue | undefined): v is number | bigint | PyFloat {
  return typeof v === 'number' || typeof v === 'bigint' || v instanceof PyFloat;
}

/** Python's type name, as error messages print it. */
export function typeName(v: PyValue | undefined): string {
  if (v === null || v === undefined) return 'NoneType';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'int';
  if (typeof v === 'string') return 'str';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return 'list';
  return 'dict';
}

/** Deep copy (Python's copy.deepcopy for JSON-shaped values). */
export function deepCopy<T extends PyValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepCopy(x)) as T;
  if (v instanceof Map) {
    const out: PyDict = new Map();
    for (const [k, x] of v as PyDict) out.set(k, deepCopy(x));
    return out as T;
  }
  return v;
}

/** Build a dict from entries in order (keys in code order, as a Python dict literal). */
export function dict(entries: Iterable<readonly [string, PyValue]>): PyDict {
  return new Map(entries);
}

/** Convert a plain JS value (tests, configs) into a PyValue; non-integer numbers become floats. */
export function fromJs(v: unknown): PyValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? v : new PyFloat(v);
  if (typeof v === 'bigint') return pyInt(v);
  if (v instanceof PyFloat) return v;
  if (Array.isArray(v)) return v.map(fromJs);
  if (v instanceof Map) {
    const out: PyDict = new Map();
    for (const [k, x] of v as Map<unknown, unknown>) out.set(String(k), fromJs(x));
    return out;
  }
  if (typeof v === 'object') {
    const out: PyDict = new Map();
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out.set(k, fromJs(x));
    return out;
  }
  throw new TypeError(`cannot convert ${typeof v} to a Python value`);
}

/** Convert to plain JS (floats lose their float-ness, integer-like keys may reorder). */
export function toJs(v: PyValue): unknown {
  if (v instanceof PyFloat) return v.value;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(toJs);
  if (v instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of v) out[k] = toJs(x);
    return out;
  }
  return v;
}
