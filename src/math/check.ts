import { equal, parseNumber } from './number.ts';

/**
 * The final answer in a model's text: what follows the last `####` (GSM8K style), else the
 * content of the last `\boxed{…}`, else the last number-like token in the text.
 */
export function extractAnswer(text: string): string | null {
  const hash = text.lastIndexOf('####');
  if (hash >= 0) return text.slice(hash + 4).trim().split('\n')[0]!.trim();
  const boxed = [...text.matchAll(/\\boxed\{([^{}]*)\}/g)];
  if (boxed.length) return boxed[boxed.length - 1]![1]!.trim();
  const tokens = text.match(/[-\u2212+]?\$?\d[\d,]*(?:\.\d+)?(?:\s*\/\s*\d+)?/g);
  return tokens ? tokens[tokens.length - 1]!.trim() : null;
}

/** Whether a model's output states the expected answer (exact rational equality). */
export function checkAnswer(output: string, expected: string): boolean {
  const want = parseNumber(expected);
  const got = extractAnswer(output);
  if (!want || got === null) return false;
  const value = parseNumber(got);
  return value !== null && equal(value, want);
}
