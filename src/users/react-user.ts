import type { ChatMessage } from '../chat/messages.ts';
import type { ChatClient } from '../llm/client.ts';
import { ModelUserEpisode, type Composed, type TurnCalls } from './model-user.ts';
import { reactFormatReminder, reactUserSystemPrompt } from './prompts.ts';
import { parseReactReply } from './react-parse.ts';
import type { UserContext, UserEpisode, UserSimulator } from './user.ts';

/**
 * Sent to the agent when no attempt gave a parseable reply. Fixed and neutral on purpose: it
 * reveals nothing of the instruction or the thought, and does not end the conversation. The
 * turn's `hidden` field and the `react_fallbacks` counter record that it was used.
 */
export const REACT_FALLBACK = 'Sorry, could you please repeat that?';

/** Default number of extra attempts after an unparseable reply. */
export const REACT_PARSE_RETRIES = 2;

/**
 * τ-bench's ReactUserSimulationEnv: the model writes a private Thought, then the User Response.
 * Only the response reaches the agent; the thought goes to `UserReply.hidden`. An unparseable
 * reply is retried (at most `parseRetries` times, each with a format reminder that lasts one
 * request), then replaced by REACT_FALLBACK — never sent raw (see react-parse.ts).
 */
export class ReactUser implements UserSimulator {
  readonly name: string;

  constructor(
    private readonly client: ChatClient,
    private readonly parseRetries = REACT_PARSE_RETRIES,
  ) {
    if (!Number.isInteger(parseRetries) || parseRetries < 0) throw new RangeError(`parseRetries must be a non-negative integer, got ${parseRetries}`);
    this.name = `react:${client.model}`;
  }

  start(ctx: UserContext): UserEpisode {
    return new ModelUserEpisode(this.client, ctx, reactUserSystemPrompt(ctx.task.instruction), (turn, signal) => composeReact(turn, this.parseRetries, signal));
  }
}

async function composeReact(turn: TurnCalls, parseRetries: number, signal?: AbortSignal): Promise<Composed> {
  const maxAttempts = parseRetries + 1;
  const failures: string[] = [];
  let extra: ChatMessage[] = [];
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const raw = await turn.complete(turn.history.request(extra), signal);
    const parsed = parseReactReply(raw);
    if (parsed.ok) {
      // The user model later sees its own turn in the canonical format, thought included.
      const historyText = `Thought:\n${parsed.thought}\n\nUser Response:\n${parsed.response}`;
      const hidden = failures.length > 0 ? `${parsed.thought}\n\n[${failures.length} unparseable attempt(s) before this one: ${failures.join('; ')}]` : parsed.thought;
      return { content: parsed.response, historyText, hidden };
    }
    turn.count('react_parse_failures');
    failures.push(parsed.reason);
    // The broken reply and a reminder, for the next request only; they never enter the history.
    extra = [
      { role: 'assistant', content: raw },
      { role: 'user', content: reactFormatReminder(attempt + 1, maxAttempts) },
    ];
  }
  turn.count('react_fallbacks');
  const hidden = `[no parseable ReAct reply in ${maxAttempts} attempt(s): ${failures.join('; ')}; sent the fixed fallback]`;
  return { content: REACT_FALLBACK, historyText: REACT_FALLBACK, hidden };
}
