import { FIRST_NAMES } from '../generate/people.ts';
import { Rng } from '../generate/prng.ts';
import { formatRational, rational, type Rational } from './number.ts';

/** A math problem with one exact answer (canonical text; see `formatRational`). */
export interface MathTask {
  id: string;
  /** 0: one-step single-digit arithmetic; 1: two-digit, several operations; 2: fractions and order of operations; 3: multi-step word problems. -1: imported. */
  level: number;
  kind: string;
  question: string;
  answer: string;
  /** Worked solution ending in `#### answer` (for SFT). */
  solution: string;
}

const r = (n: number, d = 1): Rational => rational(BigInt(n), BigInt(d));
const add = (a: Rational, b: Rational): Rational => rational(a.num * b.den + b.num * a.den, a.den * b.den);
const mul = (a: Rational, b: Rational): Rational => rational(a.num * b.num, a.den * b.den);
const neg = (a: Rational): Rational => rational(-a.num, a.den);

function level0(rng: Rng): Omit<MathTask, 'id' | 'level'> {
  const a = rng.int(0, 9);
  const b = rng.int(0, 9);
  const op = rng.pick(['+', '-'] as const);
  const v = op === '+' ? a + b : a - b;
  return { kind: 'arith', question: `What is ${a} ${op} ${b}?`, answer: String(v), solution: `${a} ${op} ${b} = ${v}\n#### ${v}` };
}

function level1(rng: Rng): Omit<MathTask, 'id' | 'level'> {
  const a = rng.int(10, 99);
  const b = rng.int(2, 12);
  const c = rng.int(10, 99);
  const op = rng.pick(['+', '-'] as const);
  const v = op === '+' ? a * b + c : a * b - c;
  return { kind: 'arith', question: `What is ${a} * ${b} ${op} ${c}?`, answer: String(v), solution: `${a} * ${b} = ${a * b}\n${a * b} ${op} ${c} = ${v}\n#### ${v}` };
}

function level2(rng: Rng): Omit<MathTask, 'id' | 'level'> {
  const a = r(rng.int(1, 9), rng.int(2, 9));
  const b = r(rng.int(1, 9), rng.int(2, 9));
  const k = rng.int(2, 6);
  const minus = rng.chance(0.5);
  const v = mul(add(a, minus ? neg(b) : b), r(k));
  const q = `What is (${a.num}/${a.den} ${minus ? '-' : '+'} ${b.num}/${b.den}) * ${k}? Answer as a fraction or decimal.`;
  const s = formatRational(v);
  return { kind: 'fraction', question: q, answer: s, solution: `${a.num}/${a.den} ${minus ? '-' : '+'} ${b.num}/${b.den} = ${formatRational(add(a, minus ? neg(b) : b))}\ntimes ${k} = ${s}\n#### ${s}` };
}

const GOODS = [
  ['notebook', 'notebooks'],
  ['apple', 'apples'],
  ['ticket', 'tickets'],
  ['mug', 'mugs'],
  ['plant', 'plants'],
] as const;

function level3(rng: Rng): Omit<MathTask, 'id' | 'level'> {
  const name = rng.pick(FIRST_NAMES);
  const [one, many] = rng.pick(GOODS);
  const n = rng.int(2, 9);
  const cents = rng.int(2, 40) * 25;
  const price = r(cents, 100);
  const pay = Math.ceil((n * cents) / 100 / 10) * 10 + rng.pick([0, 10, 20]);
  if (rng.chance(0.5)) {
    const change = add(r(pay), neg(mul(price, r(n))));
    const s = formatRational(change);
    return {
      kind: 'word',
      question: `${name} buys ${n} ${many} at $${formatRational(price)} per ${one} and pays with $${pay}. How many dollars of change does ${name} get?`,
      answer: s,
      solution: `Cost: ${n} * ${formatRational(price)} = ${formatRational(mul(price, r(n)))}\nChange: ${pay} - ${formatRational(mul(price, r(n)))} = ${s}\n#### ${s}`,
    };
  }
  const kept = rng.int(1, n - 1);
  const boxes = rng.int(2, 6);
  const v = n * boxes - kept;
  return {
    kind: 'word',
    question: `${name} has ${boxes} boxes with ${n} ${many} in each box and gives away ${kept} ${kept === 1 ? one : many}. How many ${many} does ${name} have left?`,
    answer: String(v),
    solution: `${boxes} * ${n} = ${boxes * n}\n${boxes * n} - ${kept} = ${v}\n#### ${v}`,
  };
}

const LEVELS = [level0, level1, level2, level3] as const;
export const MATH_LEVELS = LEVELS.length;

/** `count` problems at a level, a pure function of (seed, level, count). */
export function generateMathTasks(seed: string | number, level: number, count: number): MathTask[] {
  const make = LEVELS[level];
  if (!make) throw new Error(`math level must be 0–${LEVELS.length - 1}, got ${level}`);
  const rng = new Rng(`math/${String(seed)}/${level}`);
  return Array.from({ length: count }, (_, i) => ({ id: `math-${level}/${i}`, level, ...make(rng.fork(i)) }));
}
