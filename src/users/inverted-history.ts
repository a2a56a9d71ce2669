import type { ChatMessage } from '../chat/messages.ts';
import { AGENT_GREETING, type TranscriptLine } from './prompts.ts';

/**
 * The user model's own view of the conversation, with the roles inverted (as τ-bench does):
 * the user model is the "assistant", so the agent's messages reach it in the `user` role and
 * its own earlier replies come back in the `assistant` role. It opens with the agent greeting
 * "Hi! How can I help you today?", which makes the model write the customer's first message.
 * The greeting is the simulator's framing, not an agent turn: it is never part of a trajectory.
 */
export class InvertedHistory {
  readonly #messages: ChatMessage[];
  /** What the agent saw of each user message, by message index (a ReAct reply without its thought). */
  readonly #visible = new Map<number, string>();

  constructor(systemPrompt: string) {
    this.#messages = [
      { role: 'system', content: systemPrompt },
      { role: 'user', content: AGENT_GREETING },
    ];
  }

  /** The agent said `text` (it becomes a `user` message for the user model). */
  agentSaid(text: string): void {
    this.#messages.push({ role: 'user', content: text });
  }

  /**
   * The simulated user said `text` (it becomes an `assistant` message for the user model);
   * `visible` is what the agent received when that differs (a ReAct user keeps its thought here).
   */
  userSaid(text: string, visible: string = text): void {
    this.#messages.push({ role: 'assistant', content: text });
    this.#visible.set(this.#messages.length - 1, visible);
  }

  /** The request messages: the history, plus messages meant for one request only. */
  request(extra: readonly ChatMessage[] = []): ChatMessage[] {
    return [...this.#messages, ...extra];
  }

  /**
   * The conversation with the real roles, for the verification and reflection prompts: the
   * inverted `user` messages are the agent's, the `assistant` ones the customer's.
   */
  transcript(): TranscriptLine[] {
    const lines: TranscriptLine[] = [];
    this.#messages.forEach((m, i) => {
      if (m.role === 'user') lines.push({ speaker: 'Agent', text: m.content });
      else if (m.role === 'assistant') lines.push({ speaker: 'Customer', text: this.#visible.get(i) ?? m.content ?? '' });
    });
    return lines;
  }
}
