import type { ChatMessage } from '../chat/messages.ts';
import type { ChatClient } from '../llm/client.ts';
import { ModelUserEpisode, type Composed, type TurnCalls } from './model-user.ts';
import { llmUserSystemPrompt, rejectedDraftNote } from './prompts.ts';
import { verifyDraft } from './supervisor.ts';
import type { UserContext, UserEpisode, UserSimulator } from './user.ts';

/** τ-bench's default for VerifyUserSimulationEnv. */
export const VERIFY_MAX_ATTEMPTS = 3;

/**
 * τ-bench's VerifyUserSimulationEnv: draft a reply as the `llm` user does, ask the model whether
 * it is a good customer message, and draft again on a rejection, at most `maxAttempts` drafts;
 * when every draft is rejected the last one is sent (as τ-bench does).
 *
 * Two departures, both so that a redraft can differ: τ-bench resends the identical request
 * (identical at temperature 0, and a cache hit under a response cache), whereas each redraft
 * here also shows the model its rejected draft with a one-request note; and the sent reply
 * enters the user's history even when all drafts were rejected (τ-bench drops it there).
 */
export class VerifyUser implements UserSimulator {
  readonly name: string;

  constructor(
    private readonly client: ChatClient,
    private readonly maxAttempts = VERIFY_MAX_ATTEMPTS,
  ) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    this.name = `verify:${client.model}`;
  }

  start(ctx: UserContext): UserEpisode {
    return new ModelUserEpisode(this.client, ctx, llmUserSystemPrompt(ctx.task.instruction), (turn, signal) => composeVerified(turn, this.maxAttempts, signal));
  }
}

async function composeVerified(turn: TurnCalls, maxAttempts: number, signal?: AbortSignal): Promise<Composed> {
  const rejected: string[] = [];
  let extra: ChatMessage[] = [];
  let draft = '';
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    draft = await turn.complete(turn.history.request(extra), signal);
    if (await verifyDraft(turn, draft, signal)) return withRejected({ content: draft, historyText: draft }, rejected);
    rejected.push(draft);
    extra = [
      { role: 'assistant', content: draft },
      { role: 'user', content: rejectedDraftNote(attempt + 1, maxAttempts) },
    ];
  }
  turn.count('verify_exhausted');
  return withRejected({ content: draft, historyText: draft }, rejected, 'every draft was rejected; sent the last one');
}

/** Records rejected drafts in `hidden` (for the record; the agent never sees them). */
export function withRejected(c: Composed, rejected: readonly string[], note?: string): Composed {
  if (rejected.length === 0 && note === undefined) return c;
  const lines = rejected.map((d, i) => `rejected draft ${i + 1}: ${d}`);
  if (note !== undefined) lines.push(note);
  return { ...c, hidden: lines.join('\n') };
}
