/**
 * Explicit confirmation before a write. Every policy here (the starter store, τ-bench's retail and
 * airline) tells the agent to state the action and wait for the user's yes before it changes
 * anything. A database-only verifier cannot see whether that happened, and RL finds the gap: the
 * demo's policy once learned to skip the proposal a customer would refuse and write anyway
 * (docs/demo.md). The episode runner (for domains that require it) and the oracle judge both read
 * confirmations through this module, so they agree on what a yes is.
 */
import type { ChatMessage } from '../chat/messages.ts';

/** A reply that opens with a refusal or a hold is never a confirmation, whatever follows. */
const REFUSAL = /^\W*(no|nope|not|don't|do not|wait|hold on|stop|sorry)\b/i;
/** A reply that opens with yes (the scripted user's "Yes…", an LLM user's "Yes, please"). */
const LEADING_YES = /^\W*(yes|yeah|yep|yup|sure|okay|ok|confirmed)\b/i;
/** Agreement said later in the reply ("That's right, go ahead"), trusted only without a negation. */
const AFFIRMATIVE = /\b(yes|i confirm|go ahead|proceed|please do|do it|correct|that's right|that is right)\b/i;
const NEGATION = /\b(no|not|don't|never|nothing|isn't|wasn't)\b/i;

/** Whether a user message explicitly agrees to what the agent proposed. */
export function isConfirmation(text: string): boolean {
  if (REFUSAL.test(text)) return false;
  return LEADING_YES.test(text) || (AFFIRMATIVE.test(text) && !NEGATION.test(text));
}

/** The text of the last user message before `index` in a conversation (undefined when none). */
export function lastUserText(messages: readonly ChatMessage[], index: number): string | undefined {
  for (let i = Math.min(index, messages.length) - 1; i >= 0; i--) {
    const m = messages[i]!;
    if (m.role === 'user') return m.content;
  }
  return undefined;
}

/** Whether the tool call at `messages[index]` follows an explicit confirmation by the user. */
export function confirmedAt(messages: readonly ChatMessage[], index: number): boolean {
  const text = lastUserText(messages, index);
  return text !== undefined && isConfirmation(text);
}
