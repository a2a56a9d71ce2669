import type { TurnCalls } from './model-user.ts';
import { reflectPrompt, verifyPrompt } from './prompts.ts';

/**
 * The supervisor checks of τ-bench's verify and reflection users (its `verify` and `reflect`),
 * sent as fresh single-message requests to the same model. Their usage counts as the user turn's.
 */

/**
 * Reads a true/false verdict. τ-bench accepts any reply containing "true" (so "not true" and
 * "false, not true" pass); we need exactly one of the words `true` / `false` to appear. Anything
 * else is undefined, which callers treat as a rejection and count.
 */
export function parseVerdict(text: string): boolean | undefined {
  const words = new Set((text.toLowerCase().match(/\b(true|false)\b/g) ?? []));
  if (words.size !== 1) return undefined;
  return words.has('true');
}

/** Asks whether `draft` is a good next customer message; counts unreadable verdicts. */
export async function verifyDraft(turn: TurnCalls, draft: string, signal?: AbortSignal): Promise<boolean> {
  const prompt = verifyPrompt(turn.ctx.task.instruction, turn.history.transcript(), draft);
  const answer = await turn.complete([{ role: 'user', content: prompt }], signal);
  turn.count('verify_calls');
  const verdict = parseVerdict(answer);
  if (verdict === undefined) turn.count('verify_unreadable');
  if (verdict !== true) turn.count('verify_rejections');
  return verdict === true;
}

/** Asks what is wrong with a rejected draft; the whole answer (reflection and proposal) is the feedback. */
export async function reflectOnDraft(turn: TurnCalls, draft: string, signal?: AbortSignal): Promise<string> {
  const prompt = reflectPrompt(turn.ctx.task.instruction, turn.history.transcript(), draft);
  const answer = await turn.complete([{ role: 'user', content: prompt }], signal);
  turn.count('reflections');
  return answer.trim();
}
