import type { ChatClient } from '../llm/client.ts';
import { ModelUserEpisode } from './model-user.ts';
import { llmUserSystemPrompt } from './prompts.ts';
import type { UserContext, UserEpisode, UserSimulator } from './user.ts';

/**
 * τ-bench's LLMUserSimulationEnv: the model plays the customer from the hidden instruction,
 * one completion per turn, and its whole reply goes to the agent.
 */
export class LlmUser implements UserSimulator {
  readonly name: string;

  constructor(private readonly client: ChatClient) {
    this.name = `llm:${client.model}`;
  }

  start(ctx: UserContext): UserEpisode {
    return new ModelUserEpisode(this.client, ctx, llmUserSystemPrompt(ctx.task.instruction), async (turn, signal) => {
      const text = await turn.complete(turn.history.request(), signal);
      return { content: text, historyText: text };
    });
  }
}
