/**
 * The scripted τ² user: performs the user-side gold actions (in the schedule shared with the
 * oracle agent, `src/episode/tau2-schedule.ts`), one tool call per message, then answers the
 * agent in words. Past its schedule it says ###STOP###. `mutate` lets tests make it act
 * wrongly on purpose (change or drop one action).
 */
import { goldSchedule } from '../episode/tau2-schedule.ts';
import type { Tau2Action } from '../dataset/tau2-task.ts';
import type { Tau2UserContext, Tau2UserEpisode, Tau2UserSimulator, Tau2UserTurn } from './tau2-user.ts';

export interface ScriptedOptions {
  /** Replaces the i-th user-side gold action (null: skip it). */
  mutate?: (a: Tau2Action, index: number) => Tau2Action | null;
}

export class Tau2ScriptedUser implements Tau2UserSimulator {
  readonly name = 'tau2-scripted';

  constructor(private readonly opts: ScriptedOptions = {}) {}

  start(ctx: Tau2UserContext): Tau2UserEpisode {
    const schedule = goldSchedule(ctx.task);
    const mutate = this.opts.mutate;
    let turn = -1;
    let index = 0;
    let calls = 0;
    let pending: Tau2Action[] = [];
    return {
      async next(input): Promise<Tau2UserTurn> {
        if ('agentText' in input) {
          turn++;
          pending = [];
          for (const a of schedule.userTurns[turn] ?? []) {
            const m = mutate ? mutate(a, index++) : a;
            if (m) pending.push(m);
          }
        }
        const a = pending.shift();
        if (a) return { content: null, toolCalls: [{ id: `user_call_${calls++}`, name: a.name, arguments: a.arguments, requestor: 'user' }] };
        // A task without gold actions still gets its request out, so the agent can answer it.
        if (turn >= Math.max(1, schedule.userTurns.length)) return { content: 'Thank you, that is all. ###STOP###', toolCalls: [] };
        return { content: turn === 0 ? 'Hi, I need help.' : 'I did that. What next?', toolCalls: [] };
      },
    };
  }
}
