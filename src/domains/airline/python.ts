/**
 * The few Python operations τ-bench's airline tools use that `src/py/ops.ts` does not cover,
 * with CPython 3.11's results and error texts: augmented assignment (`+=` names itself in its
 * TypeError), `int * seq` repetition, unary minus, `sum`, `max(0, x)`, `s[-2:]`, `int(s)`,
 * `list.append`/`extend` and `del d[k]`.
 */
import { attributeError, keyError, PyError, typeError, valueError } from '../../py/errors.ts';
import { strRepr } from '../../py/repr.ts';
import { checkHashable, compare, getItem, iterate } from '../../py/ops.ts';
import { PyFloat, pyInt as pyIntOf, typeName, type PyValue } from '../../py/value.ts';

type Num = number | bigint | PyFloat;

function numeric(v: PyValue | undefined): number | bigint | undefined {
  if (typeof v === 'number' || typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) return v.value;
  return undefined;
}

const BIG: Record<'+' | '-' | '*', (x: bigint, y: bigint) => bigint> = { '+': (x, y) => x + y, '-': (x, y) => x - y, '*': (x, y) => x * y };
const SMALL: Record<'+' | '-' | '*', (x: number, y: number) => number> = { '+': (x, y) => x + y, '-': (x, y) => x - y, '*': (x, y) => x * y };

/** Numeric `a op b` with Python's typing; ints stay exact past 2^53 (bigints). */
function arith(a: PyValue | undefined, b: PyValue | undefined, op: '+' | '-' | '*'): Num | undefined {
  const x = numeric(a);
  const y = numeric(b);
  if (x === undefined || y === undefined) return undefined;
  if (a instanceof PyFloat || b instanceof PyFloat) return new PyFloat(SMALL[op](Number(x), Number(y)));
  if (typeof x === 'bigint' || typeof y === 'bigint') return pyIntOf(BIG[op](BigInt(x), BigInt(y)));
  const r = SMALL[op](x, y);
  return Number.isSafeInteger(r) ? r : pyIntOf(BIG[op](BigInt(x), BigInt(y)));
}

const unsupported = (op: string, a: PyValue | undefined, b: PyValue | undefined): PyError =>
  typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);

/** `a + b` or `a += b` (the operator in the TypeError differs; str/list concatenation is shared). */
function plus(op: '+' | '+=', a: PyValue | undefined, b: PyValue | undefined): PyValue {
  const n = arith(a, b, '+');
  if (n !== undefined) return n;
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return op === '+=' ? (a.push(...b), a) : [...a, ...b];
  if (typeof a === 'string' || Array.isArray(a)) {
    throw typeError(`can only concatenate ${typeName(a)} (not "${typeName(b)}") to ${typeName(a)}`);
  }
  throw unsupported(op, a, b);
}

/** `a += b`. */
export function iadd(a: PyValue | undefined, b: PyValue | undefined): PyValue {
  return plus('+=', a, b);
}

/** `a -= b`. */
export function isub(a: PyValue | undefined, b: PyValue | undefined): Num {
  const n = arith(a, b, '-');
  if (n === undefined) throw unsupported('-=', a, b);
  return n;
}

/** `a - b`. */
export function minus(a: PyValue | undefined, b: PyValue | undefined): Num {
  const n = arith(a, b, '-');
  if (n === undefined) throw unsupported('-', a, b);
  return n;
}

function repeatCount(v: PyValue | undefined): number | undefined {
  if (typeof v === 'number') return Math.max(0, v);
  if (typeof v === 'bigint') {
    if (v <= 0n) return 0;
    // CPython cannot even try: past an index-sized int it overflows, below it runs out of memory.
    if (v > 9223372036854775807n) throw new PyError('OverflowError', "cannot fit 'int' into an index-sized integer");
    throw new PyError('MemoryError', '');
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** `a * b`, including sequence repetition (`50 * "ab"` is a str, which a later `+=` rejects). */
export function times(a: PyValue | undefined, b: PyValue | undefined): PyValue {
  const n = arith(a, b, '*');
  if (n !== undefined) return n;
  const aSeq = typeof a === 'string' || Array.isArray(a);
  if (!aSeq && typeof b !== 'string' && !Array.isArray(b)) throw unsupported('*', a, b);
  const seq = aSeq ? a : b;
  const other = aSeq ? b : a;
  const k = repeatCount(other);
  if (k === undefined) throw typeError(`can't multiply sequence by non-int of type '${typeName(other)}'`);
  if (typeof seq === 'string') return seq.repeat(k);
  return Array.from({ length: k }, () => seq as PyValue[]).flat();
}

/** Unary `-x`. */
export function neg(v: PyValue | undefined): Num {
  if (typeof v === 'number') return v === 0 ? 0 : -v;
  if (typeof v === 'bigint') return pyIntOf(-v);
  if (typeof v === 'boolean') return v ? -1 : 0;
  if (v instanceof PyFloat) return new PyFloat(-v.value);
  throw typeError(`bad operand type for unary -: '${typeName(v)}'`);
}

/** `sum(values)` with start 0 (3.11 adds floats one by one, no compensated summation). */
export function pySum(values: Iterable<PyValue | undefined>): PyValue {
  let total: PyValue = 0;
  for (const v of values) total = plus('+', total, v);
  return total;
}

/** The generator `x[key] for x in seq`, lazy so that `sum` raises where Python would. */
export function* pluck(seq: PyValue | undefined, key: string): Generator<PyValue> {
  for (const x of iterate(seq)) yield getItem(x, key);
}

/** `max(0, x)`: the first argument wins unless the second is strictly greater. */
export function maxZero(x: PyValue | undefined): PyValue {
  return compare('>', x, 0) ? (x as PyValue) : 0;
}

/** `v[-2:]` (str slices by code point; dict keys cannot be slices in 3.11). */
export function lastTwo(v: PyValue | undefined): PyValue {
  if (typeof v === 'string') return [...v].slice(-2).join('');
  if (Array.isArray(v)) return v.slice(-2);
  if (v instanceof Map) throw typeError("unhashable type: 'slice'");
  throw typeError(`'${typeName(v)}' object is not subscriptable`);
}

// str.isspace() characters (JS `\s` differs: it has U+FEFF and lacks U+001C–U+001F, U+0085).
const WS = '[\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const PY_SPACE = new RegExp(`^${WS}+|${WS}+$`, 'gu');
const DIGIT = /\p{Nd}/u;

/** Value of a Unicode decimal digit: Nd digits come in contiguous runs of ten starting at zero. */
function digitValue(ch: string): number {
  let cp = ch.codePointAt(0)!;
  let back = 0;
  while (back < 60 && DIGIT.test(String.fromCodePoint(cp - 1))) {
    cp--;
    back++;
  }
  return back % 10;
}

/** `int(v)` for a str (Python's literal rules: whitespace, sign, underscores between digits). */
export function pyInt(v: PyValue | undefined): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof PyFloat) {
    if (Number.isNaN(v.value)) throw valueError('cannot convert float NaN to integer');
    if (!Number.isFinite(v.value)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(v.value);
  }
  if (typeof v !== 'string') {
    throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`);
  }
  const body = v.replace(PY_SPACE, '');
  const m = /^([+-]?)((?:\p{Nd}_?)*\p{Nd})$/u.exec(body);
  if (!m) throw valueError(`invalid literal for int() with base 10: ${strRepr(v)}`);
  let n = 0;
  for (const ch of m[2]!) if (ch !== '_') n = n * 10 + digitValue(ch);
  return m[1] === '-' ? -n : n;
}

/** `lst.append(x)`. */
export function append(list: PyValue | undefined, x: PyValue): void {
  if (!Array.isArray(list)) throw attributeError(list, 'append');
  list.push(x);
}

/** `lst.extend(items)` (iterates first, so extending a list by itself doubles it once). */
export function extend(list: PyValue | undefined, items: PyValue | undefined): void {
  if (!Array.isArray(list)) throw attributeError(list, 'extend');
  list.push(...iterate(items));
}

/** `del d[k]` on a dict. */
export function delItem(d: PyValue | undefined, key: PyValue | undefined): void {
  if (!(d instanceof Map)) throw typeError(`'${typeName(d)}' object does not support item deletion`);
  checkHashable(key);
  if (typeof key !== 'string' || !d.delete(key)) throw keyError(key);
}
