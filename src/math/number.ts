/** An exact rational, reduced, with a positive denominator. */
export interface Rational {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b) [a, b] = [b, a % b];
  return a;
}

export function rational(num: bigint, den: bigint): Rational {
  if (den === 0n) throw new Error('zero denominator');
  if (den < 0n) [num, den] = [-num, -den];
  const g = gcd(num, den) || 1n;
  return { num: num / g, den: den / g };
}

function decimal(text: string): Rational | null {
  const m = /^(\d*)(?:\.(\d+))?$/.exec(text);
  if (!m || (m[1] === '' && m[2] === undefined)) return null;
  const frac = m[2] ?? '';
  return rational(BigInt((m[1] || '0') + frac), 10n ** BigInt(frac.length));
}

/**
 * Reads a number the way a grader should: thousands commas, a leading sign (ASCII or U+2212),
 * currency symbols, a trailing percent sign or unit word ("12 apples", "$3.50", "4 km"),
 * fractions ("3/4") and mixed numbers ("1 1/2"). Null when the text holds no number.
 */
export function parseNumber(raw: string): Rational | null {
  let s = raw.trim().replace(/\u2212/g, '-').replace(/[$€£]/g, '').replace(/\*\*/g, '');
  s = s.replace(/(\d),(?=\d{3}(?:\D|$))/g, '$1');
  s = s.replace(/\s*(%|[a-zA-Z][a-zA-Z .]*)$/, '').replace(/\.$/, '').trim();
  let sign = 1n;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1n;
    s = s.slice(1).trim();
  }
  const mixed = /^(\d+)\s+(\d+)\s*\/\s*(\d+)$/.exec(s);
  if (mixed) {
    const whole = BigInt(mixed[1]!);
    const den = BigInt(mixed[3]!);
    if (den === 0n) return null;
    return rational(sign * (whole * den + BigInt(mixed[2]!)), den);
  }
  const frac = /^([\d.]+)\s*\/\s*([\d.]+)$/.exec(s);
  if (frac) {
    const a = decimal(frac[1]!);
    const b = decimal(frac[2]!);
    if (!a || !b || b.num === 0n) return null;
    return rational(sign * a.num * b.den, a.den * b.num);
  }
  const d = decimal(s);
  return d ? rational(sign * d.num, d.den) : null;
}

export function equal(a: Rational, b: Rational): boolean {
  return a.num === b.num && a.den === b.den;
}

/** Canonical text: an integer, a terminating decimal, or a reduced fraction. */
export function formatRational(r: Rational): string {
  if (r.den === 1n) return r.num.toString();
  let d = r.den;
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) [d, twos] = [d / 2n, twos + 1];
  while (d % 5n === 0n) [d, fives] = [d / 5n, fives + 1];
  if (d !== 1n) return `${r.num}/${r.den}`;
  const places = Math.max(twos, fives);
  const scaled = (r.num * 10n ** BigInt(places)) / r.den;
  const neg = scaled < 0n;
  const digits = (neg ? -scaled : scaled).toString().padStart(places + 1, '0');
  return `${neg ? '-' : ''}${digits.slice(0, -places)}.${digits.slice(-places)}`;
}
