/**
 * The τ² oracle agent: performs the agent-side gold actions of a τ² task in the schedule it
 * shares with the scripted user, one tool call per turn, then answers in words; its last
 * answer says what the task requires to be communicated and ends with ###STOP###. In solo mode
 * (no user) it performs every gold action itself, agent- and user-side, in order. `mutate`
 * lets tests change or drop one of its actions.
 */
import type { ChatMessage } from '../chat/messages.ts';
import { dumps } from '../py/dumps.ts';
import type { Tau2Action } from '../dataset/tau2-task.ts';
import { goldSchedule } from '../episode/tau2-schedule.ts';
import type { Agent, AgentContext, AgentEpisode, AgentStep } from './agent.ts';

export interface Tau2OracleOptions {
  mutate?: (a: Tau2Action, index: number) => Tau2Action | null;
}

export class Tau2OracleAgent implements Agent {
  readonly name = 'tau2-oracle';

  constructor(private readonly opts: Tau2OracleOptions = {}) {}

  start(ctx: AgentContext): AgentEpisode {
    const task = ctx.tau2Task;
    if (!task) throw new Error('tau2-oracle runs τ²-bench tasks only (no τ² task in the agent context)');
    const schedule = goldSchedule(task);
    let index = 0;
    const turns = schedule.agentTurns.map((t) =>
      t.flatMap((a) => {
        const m = this.opts.mutate ? this.opts.mutate(a, index++) : a;
        return m ? [m] : [];
      }),
    );
    const info = task.criteria?.communicateInfo ?? [];
    let calls = 0;
    let soloIndex = 0;
    const solo = (task.criteria?.actions ?? []).flatMap((a) => {
      const m = this.opts.mutate ? this.opts.mutate(a, soloIndex++) : a;
      return m ? [m] : [];
    });
    const call = (a: Tau2Action): AgentStep => {
      const callId = `oracle_call_${calls++}`;
      return {
        action: { type: 'tool', name: a.name, kwargs: a.arguments, callId },
        message: { role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: a.name, arguments: dumps(a.arguments) } }] },
      };
    };
    return {
      systemPrompt: ctx.policy,
      async act(messages: readonly ChatMessage[]): Promise<AgentStep> {
        const users = messages.filter((m) => m.role === 'user').length;
        // Solo mode (telecom): no user ever speaks; the agent performs every gold action itself,
        // the user-side ones on the phone tools it holds, in the task's order.
        if (users === 0) {
          const next = solo[messages.filter((m) => m.role === 'assistant' && m.tool_calls?.length).length];
          if (next) return call(next);
          const content = `${['Done.', ...info].join(' ')} ###STOP###`;
          return { action: { type: 'respond', content }, message: { role: 'assistant', content } };
        }
        const k = Math.max(0, users - 1);
        let lastUser = -1;
        messages.forEach((m, i) => {
          if (m.role === 'user') lastUser = i;
        });
        const done = messages.slice(lastUser + 1).filter((m) => m.role === 'assistant' && m.tool_calls?.length).length;
        const next = turns[k]?.[done];
        if (next) return call(next);
        const last = k + 1 >= schedule.userTurns.length;
        const content = last ? `${['Done.', ...info].join(' ')} ###STOP###` : 'Please go ahead.';
        return { action: { type: 'respond', content }, message: { role: 'assistant', content } };
      },
    };
  }
}
