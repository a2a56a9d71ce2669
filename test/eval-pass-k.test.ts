import { describe, expect, it } from 'vitest';
import { meanOverTasks, passAtK, passHatK } from '../src/eval/pass-k.ts';

describe('pass^k', () => {
  it('matches hand-computed values for n=4, c=2', () => {
    expect(passHatK(4, 2, 1)).toBeCloseTo(0.5, 12);
    expect(passHatK(4, 2, 2)).toBeCloseTo(1 / 6, 12); // C(2,2)/C(4,2)
    expect(passHatK(4, 2, 3)).toBe(0); // k > c
  });
  it('k = n is all-or-nothing', () => {
    expect(passHatK(5, 5, 5)).toBe(1);
    expect(passHatK(5, 4, 5)).toBe(0);
  });
  it('c = 0 gives 0 for every k', () => {
    for (let k = 1; k <= 4; k++) expect(passHatK(4, 0, k)).toBe(0);
  });
  it('n=8, c=6, k=3: C(6,3)/C(8,3) = 20/56', () => {
    expect(passHatK(8, 6, 3)).toBeCloseTo(20 / 56, 12);
  });
  it('rejects k outside 1..n and c > n', () => {
    expect(() => passHatK(4, 2, 5)).toThrow(RangeError);
    expect(() => passHatK(4, 2, 0)).toThrow(RangeError);
    expect(() => passHatK(4, 5, 1)).toThrow(RangeError);
  });
});

describe('pass@k', () => {
  it('matches hand-computed values for n=4, c=2', () => {
    expect(passAtK(4, 2, 1)).toBeCloseTo(0.5, 12);
    expect(passAtK(4, 2, 2)).toBeCloseTo(5 / 6, 12); // 1 − C(2,2)/C(4,2)
    expect(passAtK(4, 2, 3)).toBe(1); // k > n − c: some success is certain
  });
  it('c = 0 gives 0, c = n gives 1', () => {
    expect(passAtK(3, 0, 2)).toBe(0);
    expect(passAtK(3, 3, 1)).toBe(1);
  });
  it('k = n: at least one success iff c > 0', () => {
    expect(passAtK(4, 1, 4)).toBe(1);
  });
});

describe('meanOverTasks', () => {
  it('averages over tasks with enough trials', () => {
    const tasks = [
      { n: 2, c: 2 },
      { n: 2, c: 1 },
      { n: 1, c: 1 },
    ];
    expect(meanOverTasks(tasks, 1, passHatK)).toBeCloseTo((1 + 0.5 + 1) / 3, 12);
    expect(meanOverTasks(tasks, 2, passHatK)).toBeCloseTo((1 + 0) / 2, 12);
    expect(meanOverTasks(tasks, 3, passHatK)).toBeNull();
  });
});
