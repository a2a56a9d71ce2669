import type { Trajectory } from '../episode/trajectory.ts';

/**
 * Behaviour metrics the paper reports, defined precisely:
 * - 'wait' tokens per turn: occurrences of the word "wait" (case-insensitive, whole word, so
 *   "await" and "waiting" do not count) in the agent's assistant-message text (content and any
 *   tool-call arguments are excluded: only what the model wrote as text), divided by the number
 *   of agent turns. A measure of hesitation / self-correction.
 * - response length: mean number of characters of the agent's replies to the user (respond
 *   turns only); and mean completion tokens per agent turn when the model reported usage.
 * - tool errors per episode: observations starting with `Error:` or `Unknown action`.
 */
const WAIT = /\bwait\b/gi;

export function waitCount(text: string): number {
  return text.match(WAIT)?.length ?? 0;
}

export interface EpisodeBehaviour {
  turns: number;
  waitTokens: number;
  replyChars: number[];
  toolErrors: number;
  completionTokens: number;
}

export function episodeBehaviour(t: Trajectory): EpisodeBehaviour {
  let waitTokens = 0;
  for (const s of t.steps) {
    const m = t.messages[s.messageIndex];
    if (m && m.role === 'assistant' && m.content) waitTokens += waitCount(m.content);
  }
  return {
    turns: t.steps.length,
    waitTokens,
    replyChars: t.steps.flatMap((s) => (s.action.type === 'respond' ? [s.action.content.length] : [])),
    toolErrors: t.steps.filter((s) => s.observation !== undefined && /^(Error:|Unknown action)/.test(s.observation)).length,
    completionTokens: t.usage.agent.completionTokens,
  };
}
