import { isDict, isFloat, isList, type PyDict, type PyList } from '../py/value.ts';

/** Typed reads of generated or imported records; a wrong shape is a bug in the data, so throw. */
export function str(doc: PyDict, key: string): string {
  const v = doc.get(key);
  if (typeof v !== 'string') throw new Error(`field '${key}' is not a string`);
  return v;
}

export function num(doc: PyDict, key: string): number {
  const v = doc.get(key);
  if (typeof v === 'number') return v;
  if (isFloat(v)) return v.value;
  throw new Error(`field '${key}' is not a number`);
}

export function obj(doc: PyDict, key: string): PyDict {
  const v = doc.get(key);
  if (!isDict(v)) throw new Error(`field '${key}' is not an object`);
  return v;
}

export function list(doc: PyDict, key: string): PyList {
  const v = doc.get(key);
  if (!isList(v)) throw new Error(`field '${key}' is not a list`);
  return v;
}

export function dicts(doc: PyDict, key: string): PyDict[] {
  return list(doc, key).filter((x): x is PyDict => isDict(x));
}

export function strings(doc: PyDict, key: string): string[] {
  return list(doc, key).filter((x): x is string => typeof x === 'string');
}

/** Rounds to cents the way a ledger shows money. */
export function cents(x: number): number {
  return Math.round(x * 100) / 100;
}
