import type { ChatClient } from '../llm/client.ts';
import { ModelUserEpisode, type Composed, type TurnCalls } from './model-user.ts';
import { llmUserSystemPrompt, reflectionNote } from './prompts.ts';
import { reflectOnDraft, verifyDraft } from './supervisor.ts';
import type { UserContext, UserEpisode, UserSimulator } from './user.ts';
import { withRejected } from './verify-user.ts';

/** τ-bench's default for ReflectionUserSimulationEnv. */
export const REFLECTION_MAX_ATTEMPTS = 2;

/**
 * τ-bench's ReflectionUserSimulationEnv, same control flow: draft; verify; while rejected and
 * fewer than `maxAttempts` drafts were made, reflect on the rejected draft, draft again with the
 * reflection in view, verify. When no draft passes, the initial draft is sent (as τ-bench does).
 *
 * Our wording differs, and the reflection reaches the model as a clearly-labelled note for that
 * one request (τ-bench appends the proposed response as if the agent had said it, and keeps
 * every rejected draft in the user's history); only the sent reply enters the history here.
 */
export class ReflectionUser implements UserSimulator {
  readonly name: string;

  constructor(
    private readonly client: ChatClient,
    private readonly maxAttempts = REFLECTION_MAX_ATTEMPTS,
  ) {
    if (!Number.isInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    this.name = `reflection:${client.model}`;
  }

  start(ctx: UserContext): UserEpisode {
    return new ModelUserEpisode(this.client, ctx, llmUserSystemPrompt(ctx.task.instruction), (turn, signal) => composeReflected(turn, this.maxAttempts, signal));
  }
}

async function composeReflected(turn: TurnCalls, maxAttempts: number, signal?: AbortSignal): Promise<Composed> {
  const initial = await turn.complete(turn.history.request(), signal);
  if (await verifyDraft(turn, initial, signal)) return { content: initial, historyText: initial };
  const rejected = [initial];
  let draft = initial;
  for (let attempt = 2; attempt <= maxAttempts; attempt++) {
    const reflection = await reflectOnDraft(turn, draft, signal);
    const extra = [
      { role: 'assistant' as const, content: draft },
      { role: 'user' as const, content: reflectionNote(reflection) },
    ];
    draft = await turn.complete(turn.history.request(extra), signal);
    if (await verifyDraft(turn, draft, signal)) return withRejected({ content: draft, historyText: draft }, rejected);
    rejected.push(draft);
  }
  turn.count('verify_exhausted');
  return withRejected({ content: initial, historyText: initial }, rejected, 'every draft was rejected; sent the initial one');
}
