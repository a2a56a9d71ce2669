/**
 * The values a `calculate` expression can produce (int, float, complex, the empty tuple and
 * Ellipsis) and Python 3.11's arithmetic on them, error texts included. Ints are BigInts;
 * float and complex follow CPython's C code (float_pow, _float_div_mod, _Py_c_quot, _Py_c_pow).
 */
import { PyError, typeError } from '../errors.ts';
import { floatRepr } from '../float.ts';

export type Value =
  | { t: 'int'; v: bigint }
  | { t: 'float'; v: number }
  | { t: 'complex'; re: number; im: number }
  | { t: 'tuple' }
  | { t: 'ellipsis' };

export const int = (v: bigint): Value => ({ t: 'int', v });
export const float = (v: number): Value => ({ t: 'float', v });
const complex = (re: number, im: number): Value => ({ t: 'complex', re, im });

/**
 * Python's ints are unbounded and `9**9**9` would run for minutes; we refuse results beyond
 * this many bits with our own error (documented in the retail README section of docs).
 */
export const MAX_INT_BITS = 1 << 22;
export const TOO_LARGE = `integer result too large to evaluate (over ${MAX_INT_BITS} bits)`;

const zeroDivision = (msg: string): PyError => new PyError('ZeroDivisionError', msg);
const overflow = (msg: string): PyError => new PyError('OverflowError', msg);

function bitLength(x: bigint): number {
  return (x < 0n ? -x : x).toString(2).length;
}

const SMALL = 1n << 53n;

function checkSize(x: bigint): bigint {
  // The common case (every τ-bench amount) without building a 2^MAX_INT_BITS bigint per call.
  if (x < SMALL && x > -SMALL) return x;
  if (bitLength(x) > MAX_INT_BITS) throw new PyError('OverflowError', TOO_LARGE);
  return x;
}

/** PyLong_AsDouble: correctly rounded, OverflowError when out of range. */
export function intToFloat(x: bigint): number {
  const d = Number(x);
  if (!Number.isFinite(d)) throw overflow('int too large to convert to float');
  return d;
}

/** `str(v)` as an error message quotes it (CPython's `_PyObject_FunctionStr`). */
export function valueStr(x: Value): string {
  switch (x.t) {
    case 'int': {
      const s = x.v.toString();
      if (s.replace('-', '').length > 4300) {
        throw new PyError(
          'ValueError',
          'Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit',
        );
      }
      return s;
    }
    case 'float':
      return floatRepr(x.v);
    case 'complex': {
      const r = (d: number): string => floatRepr(d).replace(/\.0$/, '');
      if (x.re === 0 && !Object.is(x.re, -0)) return `${r(x.im)}j`;
      const im = r(x.im);
      return `(${r(x.re)}${im.startsWith('-') ? '' : '+'}${im}j)`;
    }
    case 'tuple':
      return '()';
    case 'ellipsis':
      return 'Ellipsis';
  }
}

export function typeOf(x: Value): string {
  return x.t;
}

const unsupported = (op: string, a: Value, b: Value): PyError =>
  typeError(`unsupported operand type(s) for ${op}: '${a.t}' and '${b.t}'`);

const isReal = (x: Value): x is { t: 'int'; v: bigint } | { t: 'float'; v: number } => x.t === 'int' || x.t === 'float';
const isNumber = (x: Value): boolean => isReal(x) || x.t === 'complex';
const toDouble = (x: { t: 'int'; v: bigint } | { t: 'float'; v: number }): number =>
  x.t === 'int' ? intToFloat(x.v) : x.v;

function toComplex(x: Value): { re: number; im: number } {
  if (x.t === 'complex') return { re: x.re, im: x.im };
  if (isReal(x)) return { re: toDouble(x), im: 0 };
  throw new Error('not a number');
}

type C = { re: number; im: number };
const cprod = (a: C, b: C): C => ({ re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re });

/** _Py_c_quot; `null` where CPython sets EDOM (division by zero). */
function cquot(a: C, b: C): C | null {
  const absRe = Math.abs(b.re);
  const absIm = Math.abs(b.im);
  if (absRe >= absIm) {
    if (absRe === 0) return null;
    const ratio = b.im / b.re;
    const denom = b.re + b.im * ratio;
    return { re: (a.re + a.im * ratio) / denom, im: (a.im - a.re * ratio) / denom };
  }
  if (absIm >= absRe) {
    const ratio = b.re / b.im;
    const denom = b.re * ratio + b.im;
    return { re: (a.re * ratio + a.im) / denom, im: (a.im * ratio - a.re) / denom };
  }
  return { re: NaN, im: NaN };
}

/** complex_pow: small integral exponents by repeated squaring, others by polar form. */
function complexPow(a: C, b: C): Value {
  let p: C | null;
  if (b.im === 0 && b.re === Math.floor(b.re) && Math.abs(b.re) <= 100) {
    const n = b.re;
    const powu = (x: C, k: number): C => {
      let r: C = { re: 1, im: 0 };
      let q = x;
      for (let mask = 1; mask > 0 && k >= mask; mask *= 2) {
        if (Math.floor(k / mask) % 2 === 1) r = cprod(r, q);
        q = cprod(q, q);
      }
      return r;
    };
    p = n > 0 ? powu(a, n) : cquot({ re: 1, im: 0 }, powu(a, -n));
  } else if (b.re === 0 && b.im === 0) p = { re: 1, im: 0 };
  else if (a.re === 0 && a.im === 0) p = b.im !== 0 || b.re < 0 ? null : { re: 0, im: 0 };
  else {
    const vabs = Math.hypot(a.re, a.im);
    let len = Math.pow(vabs, b.re);
    const at = Math.atan2(a.im, a.re);
    let phase = at * b.re;
    if (b.im !== 0) {
      len /= Math.exp(at * b.im);
      phase += b.im * Math.log(vabs);
    }
    p = { re: len * Math.cos(phase), im: len * Math.sin(phase) };
  }
  if (p === null) throw zeroDivision('0.0 to a negative or complex power');
  if (!Number.isFinite(p.re) && !Number.isNaN(p.re)) throw overflow('complex exponentiation');
  if (!Number.isFinite(p.im) && !Number.isNaN(p.im)) throw overflow('complex exponentiation');
  return complex(p.re, p.im);
}

const isOddInteger = (x: number): boolean => Number.isInteger(x) && Math.abs(x % 2) === 1;

/** CPython's float_pow, operands already converted; may defer to complex_pow. */
function floatPow(iv: number, iw: number): Value {
  if (iw === 0) return float(1);
  if (Number.isNaN(iv)) return float(iv);
  if (Number.isNaN(iw)) return float(iv === 1 ? 1 : iw);
  if (!Number.isFinite(iw)) {
    const a = Math.abs(iv);
    if (a === 1) return float(1);
    return float(iw > 0 === a > 1 ? Math.abs(iw) : 0);
  }
  if (!Number.isFinite(iv)) {
    const odd = isOddInteger(iw);
    if (iw > 0) return float(odd ? iv : Math.abs(iv));
    return float(odd ? (iv < 0 ? -0 : 0) : 0);
  }
  if (iv === 0) {
    if (iw < 0) throw zeroDivision('0.0 cannot be raised to a negative power');
    return float(isOddInteger(iw) ? iv : 0);
  }
  let negate = false;
  if (iv < 0) {
    if (iw !== Math.floor(iw)) return complexPow({ re: iv, im: 0 }, { re: iw, im: 0 });
    iv = -iv;
    negate = isOddInteger(iw);
  }
  if (iv === 1) return float(negate ? -1 : 1);
  const ix = Math.pow(iv, iw);
  if (!Number.isFinite(ix)) throw overflow("(34, 'Numerical result out of range')");
  return float(negate ? -ix : ix);
}

/** long_true_divide: the correctly rounded quotient of two ints. */
function intTrueDivide(a: bigint, b: bigint): number {
  if (b === 0n) throw zeroDivision('division by zero');
  const limit = 1n << 53n;
  const absA = a < 0n ? -a : a;
  const absB = b < 0n ? -b : b;
  if (absA <= limit && absB <= limit) return Number(a) / Number(b);
  const negative = a < 0n !== b < 0n;
  // Scale so the integer quotient has at least 55 significant bits, then round half to even
  // at 53 bits with the remainder as a sticky bit.
  const shift = 55 - (bitLength(absA) - bitLength(absB));
  const num = shift > 0 ? absA << BigInt(shift) : absA;
  const den = shift < 0 ? absB << BigInt(-shift) : absB;
  let q = num / den;
  const sticky = num % den !== 0n;
  let exp = -shift;
  const extra = bitLength(q) - 53;
  if (extra > 0) {
    const mask = (1n << BigInt(extra)) - 1n;
    const low = q & mask;
    const half = 1n << BigInt(extra - 1);
    q >>= BigInt(extra);
    exp += extra;
    if (low > half || (low === half && (sticky || (q & 1n) === 1n))) q += 1n;
  }
  let r = Number(q);
  // Apply the power of two in steps so that neither factor overflows or underflows early.
  while (exp > 0) {
    const s = Math.min(exp, 1000);
    r *= 2 ** s;
    exp -= s;
  }
  while (exp < 0) {
    const s = Math.min(-exp, 1000);
    r /= 2 ** s;
    exp += s;
  }
  if (!Number.isFinite(r)) throw overflow('integer division result too large for a float');
  return negative ? -r : r;
}

function floorDivFloat(vx: number, wx: number): number {
  if (wx === 0) throw zeroDivision('float floor division by zero');
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  }
  if (div) {
    let floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
    return floordiv;
  }
  return vx / wx < 0 || Object.is(vx / wx, -0) ? -0 : 0;
}

/** A repeat count for a sequence (`() * n`): it must fit in a C ssize_t. */
function repeatCount(n: bigint): void {
  if (n >= 1n << 63n || n < -(1n << 63n)) throw overflow("cannot fit 'int' into an index-sized integer");
}

export type BinOp = '+' | '-' | '*' | '/' | '//' | '**';

export function binary(op: BinOp, a: Value, b: Value): Value {
  if (a.t === 'tuple' || b.t === 'tuple') return tupleOp(op, a, b);
  if (!isNumber(a) || !isNumber(b)) throw unsupported(op === '**' ? '** or pow()' : op, a, b);
  if (a.t === 'complex' || b.t === 'complex') return complexOp(op, toComplex(a), toComplex(b), a, b);
  if (a.t === 'int' && b.t === 'int') return intOp(op, a.v, b.v);
  const x = toDouble(a as { t: 'int'; v: bigint });
  const y = toDouble(b as { t: 'int'; v: bigint });
  switch (op) {
    case '+': return float(x + y);
    case '-': return float(x - y);
    case '*': return float(x * y);
    case '/':
      if (y === 0) throw zeroDivision('float division by zero');
      return float(x / y);
    case '//': return float(floorDivFloat(x, y));
    case '**': return floatPow(x, y);
  }
}

function intOp(op: BinOp, x: bigint, y: bigint): Value {
  switch (op) {
    case '+': return int(checkSize(x + y));
    case '-': return int(checkSize(x - y));
    case '*':
      if (x !== 0n && y !== 0n && bitLength(x) + bitLength(y) > MAX_INT_BITS + 1) throw overflow(TOO_LARGE);
      return int(checkSize(x * y));
    case '/': return float(intTrueDivide(x, y));
    case '//': {
      if (y === 0n) throw zeroDivision('integer division or modulo by zero');
      const q = x / y;
      return int(q * y !== x && x < 0n !== y < 0n ? q - 1n : q);
    }
    case '**': {
      if (y < 0n) return floatPow(intToFloat(x), intToFloat(y));
      if (x === 0n || x === 1n || y === 0n) return int(y === 0n ? 1n : x);
      if (x === -1n) return int(y % 2n === 0n ? 1n : -1n);
      if (y > BigInt(MAX_INT_BITS) || (bitLength(x) - 1) * Number(y) > MAX_INT_BITS) throw overflow(TOO_LARGE);
      return int(checkSize(x ** y));
    }
  }
}

function complexOp(op: BinOp, x: C, y: C, a: Value, b: Value): Value {
  switch (op) {
    case '+': return complex(x.re + y.re, x.im + y.im);
    case '-': return complex(x.re - y.re, x.im - y.im);
    case '*': {
      const p = cprod(x, y);
      return complex(p.re, p.im);
    }
    case '/': {
      const q = cquot(x, y);
      if (q === null) throw zeroDivision('complex division by zero');
      return complex(q.re, q.im);
    }
    case '//': throw unsupported('//', a, b);
    case '**': return complexPow(x, y);
  }
}

function tupleOp(op: BinOp, a: Value, b: Value): Value {
  if (op === '+') {
    if (a.t === 'tuple' && b.t === 'tuple') return a;
    if (a.t === 'tuple') throw typeError(`can only concatenate tuple (not "${b.t}") to tuple`);
    throw unsupported('+', a, b);
  }
  if (op === '*') {
    const count = a.t === 'tuple' ? b : a;
    if (count.t === 'int') {
      repeatCount(count.v);
      return { t: 'tuple' };
    }
    throw typeError(`can't multiply sequence by non-int of type '${count.t}'`);
  }
  throw unsupported(op === '**' ? '** or pow()' : op, a, b);
}

export function unary(op: '+' | '-', x: Value): Value {
  switch (x.t) {
    case 'int': return op === '-' ? int(-x.v) : x;
    case 'float': return op === '-' ? float(-x.v) : x;
    case 'complex': return op === '-' ? complex(-x.re, -x.im) : x;
    default: throw typeError(`bad operand type for unary ${op}: '${x.t}'`);
  }
}

/** `float(x)` of the final result. */
export function toFloat(x: Value): number {
  if (x.t === 'int') return intToFloat(x.v);
  if (x.t === 'float') return x.v;
  throw typeError(`float() argument must be a string or a real number, not '${x.t}'`);
}
