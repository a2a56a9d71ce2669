import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkAnswer, extractAnswer } from '../src/math/check.ts';
import { readGsm8k } from '../src/math/gsm8k.ts';
import { formatRational, parseNumber, rational } from '../src/math/number.ts';
import { generateMathTasks, MATH_LEVELS } from '../src/math/problems.ts';

describe('number normalisation', () => {
  it.each([
    ['1,234', '1234'],
    ['$1,234.50', '1234.5'],
    ['-7', '-7'],
    ['\u22127', '-7'],
    ['+3', '3'],
    ['3/4', '0.75'],
    ['6/8', '0.75'],
    ['1 1/2', '1.5'],
    ['-1 1/2', '-1.5'],
    ['1/3', '1/3'],
    ['12 apples', '12'],
    ['4.0 km', '4'],
    ['50%', '50'],
    ['0.10', '0.1'],
  ])('%s → %s', (text, want) => {
    const v = parseNumber(text);
    expect(v && formatRational(v)).toBe(want);
  });

  it('rejects non-numbers and zero denominators', () => {
    expect(parseNumber('twelve')).toBeNull();
    expect(parseNumber('1/0')).toBeNull();
    expect(parseNumber('')).toBeNull();
  });

  it('formats and parses back every rational exactly', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000, max: 10_000 }), fc.integer({ min: 1, max: 500 }), (n, d) => {
        const v = rational(BigInt(n), BigInt(d));
        const back = parseNumber(formatRational(v));
        expect(back).toEqual(v);
      }),
    );
  });
});

describe('answer checker', () => {
  it('takes the GSM8K marker, a boxed answer, or the last number', () => {
    expect(extractAnswer('so 3 + 4 = 7\n#### 7')).toBe('7');
    expect(extractAnswer('the answer is \\boxed{3/4}.')).toBe('3/4');
    expect(extractAnswer('First 12, then 1,500 dollars.')).toBe('1,500');
  });

  it('accepts equal values in any notation and rejects wrong ones', () => {
    expect(checkAnswer('The change is $6.50.', '6.5')).toBe(true);
    expect(checkAnswer('#### 1,000', '1000')).toBe(true);
    expect(checkAnswer('It is 13/2', '6.5')).toBe(true);
    expect(checkAnswer('It is 6.49', '6.5')).toBe(false);
    expect(checkAnswer('#### -3', '3')).toBe(false);
    expect(checkAnswer('no idea', '3')).toBe(false);
  });
});

describe('generated math problems', () => {
  it('are deterministic per seed and their answers check against their own solutions', () => {
    for (let level = 0; level < MATH_LEVELS; level++) {
      const a = generateMathTasks(1, level, 200);
      expect(generateMathTasks(1, level, 200)).toEqual(a);
      expect(generateMathTasks(2, level, 200)).not.toEqual(a);
      for (const t of a) expect(checkAnswer(t.solution, t.answer), t.question).toBe(true);
    }
  });

  it('level 0 is one-step single-digit arithmetic', () => {
    const samples = generateMathTasks(7, 0, 5);
    for (const t of samples) {
      const m = /^What is (\d) ([+-]) (\d)\?$/.exec(t.question);
      expect(m, t.question).not.toBeNull();
      expect(Number(t.answer)).toBe(m![2] === '+' ? Number(m![1]) + Number(m![3]) : Number(m![1]) - Number(m![3]));
    }
    expect(samples.map((t) => `${t.question} ${t.answer}`)).toMatchInlineSnapshot(`
      [
        "What is 8 - 1? 7",
        "What is 7 + 1? 8",
        "What is 0 + 8? 8",
        "What is 3 + 0? 3",
        "What is 9 - 2? 7",
      ]
    `);
  });

  it('reads GSM8K-style JSONL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gsm8k-'));
    const file = join(dir, 'test.jsonl');
    writeFileSync(file, JSON.stringify({ question: 'How many?', answer: 'She has 1,000 + 200 = 1,200\n#### 1,200' }) + '\n');
    const read = readGsm8k(file);
    rmSync(dir, { recursive: true, force: true });
    const [t] = read;
    expect(t).toMatchObject({ question: 'How many?', answer: '1200', level: -1 });
    expect(checkAnswer('#### 1200', t!.answer)).toBe(true);
  });
});
