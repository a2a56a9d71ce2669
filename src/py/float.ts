/**
 * Python float formatting and rounding. JS already finds the shortest round-trip digits; Python
 * differs only in where it switches to exponent form and how it writes the exponent.
 */

/** Shortest round-trip digits and the decimal point position: |x| = 0.DIGITS × 10^decpt. */
function shortestDigits(x: number): { digits: string; decpt: number } {
  const [mant = '', exp = '0'] = Math.abs(x).toExponential().split('e');
  return { digits: mant.replace('.', ''), decpt: Number(exp) + 1 };
}

/** `repr(x)` / `str(x)` for a Python float. */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (x === 0) return `${sign}0.0`;
  const { digits, decpt } = shortestDigits(x);
  if (decpt <= -4 || decpt > 16) {
    const e = decpt - 1;
    const mant = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const es = Math.abs(e).toString().padStart(2, '0');
    return `${sign}${mant}e${e < 0 ? '-' : '+'}${es}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return `${sign}${digits}${'0'.repeat(decpt - digits.length)}.0`;
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** How `json.dumps` writes a float (`NaN`, `Infinity` instead of `nan`, `inf`). */
export function floatJson(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  return floatRepr(x);
}

/** Exact value of a finite double as numerator / 2^shift (shift ≥ 0). */
function exactBinary(x: number): { num: bigint; shift: bigint } {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat64(0, x);
  const hi = buf.getUint32(0);
  const lo = buf.getUint32(4);
  const expBits = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e: number;
  if (expBits === 0) e = -1074;
  else {
    mant |= 1n << 52n;
    e = expBits - 1075;
  }
  if (e >= 0) return { num: mant << BigInt(e), shift: 0n };
  return { num: mant, shift: BigInt(-e) };
}

/**
 * Python's `round(x, n)` for a float: rounds the exact binary value half-to-even
 * (`round(2.675, 2)` is 2.67 because 2.675 is stored as 2.67499999…), then reads the
 * decimal result back as the nearest double.
 */
export function pyRound(x: number, ndigits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  if (ndigits > 22 || Math.abs(x) >= 2 ** 52) return x;
  const neg = x < 0;
  const { num, shift } = exactBinary(Math.abs(x));
  let q: bigint;
  let den: bigint;
  if (ndigits >= 0) {
    const scaled = num * 10n ** BigInt(ndigits);
    den = 1n << shift;
    q = scaled / den;
    const r2 = (scaled - q * den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  } else {
    den = (1n << shift) * 10n ** BigInt(-ndigits);
    q = num / den;
    const r2 = (num - q * den) * 2n;
    if (r2 > den || (r2 === den && q % 2n === 1n)) q += 1n;
  }
  const v = Number(`${q}e${-ndigits}`);
  return neg ? -v : v;
}
