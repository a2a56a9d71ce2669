import type { Agent, AgentEpisode, AgentStep } from './agent.ts';

/**
 * The do-nothing baseline: it never calls a tool and answers every user message with the same
 * polite refusal and goodbye. What it passes is the floor of a task set: tasks whose ground truth
 * writes nothing and asks for no output (a refused request, a question about someone else's order).
 * A scripted user hears each reply as a denial of one open request and ends once all are settled.
 */
export const NOOP_REPLY = "I'm sorry, but I'm not able to help with that request. Have a nice day!";

export class NoopAgent implements Agent {
  readonly name = 'noop';

  start(): AgentEpisode {
    return {
      act: (): Promise<AgentStep> => Promise.resolve({ action: { type: 'respond', content: NOOP_REPLY }, message: { role: 'assistant', content: NOOP_REPLY } }),
    };
  }
}
