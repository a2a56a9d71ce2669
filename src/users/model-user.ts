import type { ChatMessage, Usage } from '../chat/messages.ts';
import { addUsage, zeroUsage } from '../episode/trajectory.ts';
import type { ChatClient } from '../llm/client.ts';
import { InvertedHistory } from './inverted-history.ts';
import { STOP_TOKEN, type UserContext, type UserEpisode, type UserReply } from './user.ts';

/** One composed user turn, before it is recorded. */
export interface Composed {
  /** What the agent receives. */
  content: string;
  /** What the user model sees of its own turn later (a ReAct user's full Thought + User Response). */
  historyText: string;
  /** Record-only detail (thought, rejected drafts, fallback reason); never sent to the agent. */
  hidden?: string;
}

/** How a strategy composes a turn from the conversation so far. */
export type Composer = (turn: TurnCalls, signal?: AbortSignal) => Promise<Composed>;

/**
 * The model calls of one user turn. Every call goes through the same client with the episode's
 * trial index (so a response cache keeps k trials as k samples) and adds its usage to the turn's.
 */
export class TurnCalls {
  usage: Usage = zeroUsage();

  constructor(
    readonly client: ChatClient,
    readonly history: InvertedHistory,
    readonly ctx: UserContext,
    readonly stats: Map<string, number>,
  ) {}

  /** One completion for `messages`; a reply without text (e.g. a stray tool call) reads as ''. */
  async complete(messages: readonly ChatMessage[], signal?: AbortSignal): Promise<string> {
    const opts = signal ? { trial: this.ctx.trial, signal } : { trial: this.ctx.trial };
    const r = await this.client.chat({ messages }, opts);
    this.usage = addUsage(this.usage, r.usage);
    this.count('model_calls');
    return r.message.content ?? '';
  }

  count(name: string, by = 1): void {
    this.stats.set(name, (this.stats.get(name) ?? 0) + by);
  }
}

/**
 * The episode shape all model-driven users share: `first()` answers the greeting, `reply()`
 * first records the agent's text as a `user` message, then the strategy composes the turn.
 * `stop` is true iff what the agent receives contains ###STOP###.
 */
export class ModelUserEpisode implements UserEpisode {
  readonly #history: InvertedHistory;
  readonly #stats = new Map<string, number>();

  constructor(
    private readonly client: ChatClient,
    private readonly ctx: UserContext,
    systemPrompt: string,
    private readonly compose: Composer,
  ) {
    this.#history = new InvertedHistory(systemPrompt);
  }

  first(signal?: AbortSignal): Promise<UserReply> {
    return this.turn(signal);
  }

  reply(agentText: string, signal?: AbortSignal): Promise<UserReply> {
    this.#history.agentSaid(agentText);
    return this.turn(signal);
  }

  stats(): Record<string, number> {
    return Object.fromEntries(this.#stats);
  }

  private async turn(signal?: AbortSignal): Promise<UserReply> {
    const calls = new TurnCalls(this.client, this.#history, this.ctx, this.#stats);
    const c = await this.compose(calls, signal);
    this.#history.userSaid(c.historyText, c.content);
    const reply: UserReply = { content: c.content, stop: c.content.includes(STOP_TOKEN), usage: calls.usage };
    if (c.hidden !== undefined) reply.hidden = c.hidden;
    return reply;
  }
}
