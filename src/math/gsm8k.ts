import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatRational, parseNumber } from './number.ts';
import type { MathTask } from './problems.ts';

const Line = z.object({ question: z.string(), answer: z.string() });

/**
 * Reads GSM8K-style JSONL (`{"question","answer"}`, the answer's worked solution ending in
 * `#### N`). The task's answer is N in canonical form; the worked solution is kept for SFT.
 */
export function readGsm8k(path: string, split = 'gsm8k'): MathTask[] {
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const row = Line.parse(JSON.parse(line));
    const at = row.answer.lastIndexOf('####');
    if (at < 0) throw new Error(`${path}:${i + 1}: answer has no '#### N'`);
    const value = parseNumber(row.answer.slice(at + 4).trim());
    if (!value) throw new Error(`${path}:${i + 1}: final answer is not a number`);
    return { id: `${split}/${i}`, level: -1, kind: 'gsm8k', question: row.question, answer: formatRational(value), solution: row.answer };
  });
}
