import type { Action, Task } from '../dataset/task.ts';
import { isYes } from '../dialogue/acts.ts';
import { agentPhrases, type AgentPhrases } from '../dialogue/agent-phrases.ts';
import { describeWrite } from '../dialogue/describe.ts';
import { Facts } from '../dialogue/facts.ts';
import { getDomain } from '../domains/registry.ts';
import type { ChatMessage } from '../chat/messages.ts';
import { dumps } from '../py/dumps.ts';
import { intentOf } from '../users/scripted.ts';
import type { Agent, AgentContext, AgentEpisode, AgentStep } from './agent.ts';

export const TRANSFER = 'transfer_to_human_agents';

/** Which tools write (per domain), so the oracle knows where a confirmation is due. */
export function writeTools(domain: string): Set<string> {
  return new Set(getDomain(domain).tools.filter((t) => t.kind === 'write').map((t) => t.name));
}

/**
 * Follows a generated task's ground truth through the dialogue protocol: greet and ask for
 * identification, run the ground-truth calls in order (exact kwargs), describe each write and
 * wait for an explicit yes, report outcomes, say the required outputs, deny in words what the
 * policy forbids, transfer when the ground truth does, and close.
 */
export class OracleAgent implements Agent {
  readonly name: string;
  /**
   * `nearMiss`: play the generator's near-miss twin of the ground truth instead (one argument
   * changed, or a forbidden write added before any transfer) — to show neither side absorbs it.
   */
  constructor(private readonly follow: 'truth' | 'nearMiss' = 'truth') {
    this.name = follow === 'truth' ? 'oracle' : 'oracle-near-miss';
  }

  start(ctx: AgentContext): AgentEpisode {
    if (this.follow === 'truth') return new OracleEpisode(ctx.task);
    const twin = ctx.task.nearMiss ?? ctx.task.actions;
    const actions = [...twin.filter((a) => a.name !== TRANSFER), ...twin.filter((a) => a.name === TRANSFER)];
    return new OracleEpisode(ctx.task, actions);
  }
}

type Phase = 'greet' | 'run' | 'await_yes' | 'closed';

export class OracleEpisode implements AgentEpisode {
  protected readonly actions: Action[];
  protected readonly writes: Set<string>;
  protected readonly facts = new Facts();
  protected readonly phrases: AgentPhrases;
  protected phase: Phase = 'greet';
  /** Next ground-truth action. */
  protected next = 0;
  /** Agent turns taken so far (the turn index of the step being produced). */
  protected turn = 0;
  /** Text owed to the user before the next message (an outcome report). */
  private owed: string[] = [];
  private outputsSaid = false;
  private readonly lastRead: number;
  private calls = 0;

  constructor(
    protected readonly task: Task,
    actions: readonly Action[] = task.actions,
  ) {
    this.actions = [...actions];
    this.writes = writeTools(task.domain);
    this.phrases = agentPhrases(task.domain);
    this.lastRead = this.actions.reduce((last, a, i) => (this.writes.has(a.name) || a.name === TRANSFER ? last : i), -1);
  }

  act(messages: readonly ChatMessage[]): Promise<AgentStep> {
    this.facts.update(messages);
    this.noteObservation(messages);
    const step = this.decide(messages);
    this.turn++;
    return Promise.resolve(step);
  }

  protected decide(messages: readonly ChatMessage[]): AgentStep {
    if (this.phase === 'greet') {
      this.phase = 'run';
      return this.say(this.phrases.askIdentity());
    }
    if (this.phase === 'await_yes') {
      const last = [...messages].reverse().find((m) => m.role === 'user');
      this.phase = 'run';
      if (last && isYes(last.content)) return this.runWrite(this.actions[this.next]!);
      this.owed.push(this.phrases.declined);
      this.next++;
    }
    if (this.phase === 'closed') return this.say(this.phrases.goodbye);
    const a = this.actions[this.next];
    if (!a) return this.close();
    if (a.name === TRANSFER) return this.call(a);
    if (!this.writes.has(a.name)) {
      this.next++;
      return this.call(a);
    }
    return this.proposeWrite(a);
  }

  /** Describes the write and asks for an explicit yes. */
  protected proposeWrite(a: Action): AgentStep {
    this.phase = 'await_yes';
    return this.say(this.phrases.confirmWrite(describeWrite(a, this.facts)));
  }

  protected runWrite(a: Action): AgentStep {
    this.next++;
    const step = this.call(a);
    this.pendingReport = a;
    return step;
  }

  private pendingReport: Action | undefined;

  protected close(): AgentStep {
    this.phase = 'closed';
    const denials = intentOf(this.task).requests.filter((r) => r.outcome === 'denied').map((r) => this.phrases.deny(r));
    return this.say([...denials, this.phrases.close].join(' '));
  }

  /** A text turn: owed outcome reports first, then the required outputs once all reads are done. */
  protected say(text: string): AgentStep {
    const parts = [...this.owed];
    this.owed = [];
    if (!this.outputsSaid && this.next > this.lastRead && this.phase !== 'greet' && this.turn > 0) {
      this.outputsSaid = true;
      parts.push(this.phrases.tellOutputs(this.task.outputs, intentOf(this.task).requests));
    }
    parts.push(text);
    const content = parts.filter(Boolean).join(' ');
    return { action: { type: 'respond', content }, message: { role: 'assistant', content } };
  }

  protected call(a: Action): AgentStep {
    const callId = `call_${this.calls++}`;
    const args = dumps(a.kwargs);
    return {
      action: { type: 'tool', name: a.name, kwargs: a.kwargs, callId },
      message: { role: 'assistant', content: null, tool_calls: [{ id: callId, type: 'function', function: { name: a.name, arguments: args } }] },
    };
  }

  /** Called with the messages before the next turn: a write's observation becomes an outcome report. */
  protected noteObservation(messages: readonly ChatMessage[]): void {
    if (!this.pendingReport) return;
    const obs = messages[messages.length - 1];
    if (obs?.role === 'tool') this.owed.push(this.phrases.outcome(obs.content, this.pendingReport));
    this.pendingReport = undefined;
  }
}
