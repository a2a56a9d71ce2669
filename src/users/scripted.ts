import type { Task } from '../dataset/task.ts';
import { recognise, type AgentAct } from '../dialogue/acts.ts';
import { checkConfirmation, mentions, REQUEST_WORDS } from '../dialogue/check.ts';
import { CLARIFICATION, GIVE_UP, identityText, requestText, UserVoice } from '../dialogue/user-phrases.ts';
import { Intent, type Request } from '../generate/intent.ts';
import { Rng } from '../generate/prng.ts';
import { STOP_TOKEN, type UserContext, type UserEpisode, type UserReply, type UserSimulator } from './user.ts';
import { z } from 'zod';

/** Unrecognised agent messages tolerated before the user gives up. */
export const MAX_CLARIFICATIONS = 3;
/** Times the user repeats an open request the agent has moved past before giving up. */
export const MAX_RESTATES = 2;

/** Order statuses (retail's and the starter store's): what an answer to a status question names. */
const STATUS_WORDS = /\b(pending|processed|delivered|cancell?ed|return requested|exchange requested)\b/i;

type Status = 'open' | 'awaiting' | 'performed' | 'denied' | 'transferred' | 'refused' | 'failed';

const intents = new WeakMap<Task, Intent>();

/** The task's structured intent, parsed once per task object. */
export function intentOf(task: Task): Intent {
  let i = intents.get(task);
  if (!i) {
    // One line either way: this message is what an eval's error summary shows.
    if (task.intent === undefined) throw new Error(`task ${task.id} has no intent: the scripted user and the oracle agent follow tasks made by 'tarl data generate' (imported τ-bench tasks have none)`);
    const parsed = Intent.safeParse(task.intent);
    if (!parsed.success) throw new Error(`task ${task.id} has an unusable intent (${z.prettifyError(parsed.error).replace(/\n/g, '; ')})`);
    i = parsed.data;
    intents.set(task, i);
  }
  return i;
}

/**
 * A rule-following user (no model): it reads the agent's dialogue acts (src/dialogue/acts.ts)
 * and answers from its intent. It confirms a write only when the agent's summary carries the
 * facts it knows, so an agent's mistake is never smoothed over; it stops once every request is
 * performed, denied, transferred or refused, and after too many unclear messages.
 */
export class ScriptedUser implements UserSimulator {
  readonly name = 'scripted';
  start(ctx: UserContext): UserEpisode {
    return new ScriptedEpisode(intentOf(ctx.task), new Rng(`scripted/${ctx.seed}/${ctx.trial}/${ctx.task.id}`));
  }
}

class ScriptedEpisode implements UserEpisode {
  private readonly status: Status[];
  private readonly voice: UserVoice;
  /** The starter store: short sentences (docs/dialogue-acts.md). */
  private readonly short: boolean;
  private identified = false;
  private detailed: boolean;
  private clarifications = 0;
  private confirmations = 0;
  private refusals = 0;
  private restated = 0;

  constructor(
    private readonly intent: Intent,
    rng: Rng,
  ) {
    this.status = intent.requests.map(() => 'open');
    this.short = intent.domain === 'starter';
    this.voice = new UserVoice(intent.persona.tone, rng, this.short);
    this.detailed = intent.persona.forthcoming;
  }

  private text(r: Request, full: boolean): string {
    return requestText(r, full, this.short);
  }

  first(): Promise<UserReply> {
    const reqs = this.intent.requests.map((r) => this.text(r, this.detailed)).join(' ');
    return Promise.resolve(this.say(`${this.voice.hello()} ${reqs}`));
  }

  reply(agentText: string): Promise<UserReply> {
    return Promise.resolve(this.answer(agentText, recognise(agentText)));
  }

  stats(): Record<string, number> {
    return {
      clarifications: this.clarifications,
      confirmations: this.confirmations,
      refusals: this.refusals,
      settled: this.status.filter((s) => s !== 'open' && s !== 'awaiting').length,
      requests: this.status.length,
    };
  }

  private answer(text: string, acts: Set<AgentAct>): UserReply {
    const settledNow = this.settle(text, acts);
    if (acts.has('confirm_request')) return this.confirm(text);
    if (acts.has('ask_identity') && !this.identified) {
      this.identified = true;
      return this.say(`${identityText(this.intent.user.identity)}${acts.has('ask_detail') || acts.has('ask_request') ? ' ' + this.details() : ''}`);
    }
    if (acts.has('ask_detail') || acts.has('ask_request')) return this.say(this.details());
    if (acts.has('ask_identity')) return this.say(identityText(this.intent.user.identity));
    if (this.allSettled()) return this.say(this.voice.done());
    if (settledNow || acts.has('close') || acts.has('greeting')) return this.say(`${settledNow ? this.voice.thanks() + ' ' : ''}${this.nextOpen()}`);
    if (acts.size > 0) return this.say(this.nextOpen());
    this.clarifications++;
    if (this.clarifications > MAX_CLARIFICATIONS) return this.say(GIVE_UP);
    return this.say(CLARIFICATION);
  }

  /** Outcome, failure, denial and transfer reports settle the requests they are about. */
  private settle(text: string, acts: Set<AgentAct>): boolean {
    let changed = false;
    const awaiting = this.status.indexOf('awaiting');
    if (awaiting >= 0 && (acts.has('report_outcome') || acts.has('report_failure'))) {
      this.status[awaiting] = acts.has('report_failure') ? 'failed' : 'performed';
      changed = true;
    }
    // A question is settled by its answer: the order named together with a status word.
    for (const i of this.openIndexes()) {
      const r = this.intent.requests[i]!;
      if (r.type === 'order_status' && r.order.order_id && mentions(text, r.order.order_id) && STATUS_WORDS.test(text)) {
        this.status[i] = 'performed';
        changed = true;
      }
    }
    for (const [act, to] of [['transfer', 'transferred'], ['deny', 'denied']] as const) {
      if (!acts.has(act)) continue;
      const open = this.openIndexes();
      const about = open.filter((i) => REQUEST_WORDS[this.intent.requests[i]!.type].test(text));
      for (const i of about.length ? about : open.slice(0, 1)) this.status[i] = to;
      changed ||= open.length > 0;
    }
    return changed;
  }

  private confirm(text: string): UserReply {
    // The request the summary is about: one whose facts it carries, else the first it names.
    const named = this.openIndexes().filter((i) => REQUEST_WORDS[this.intent.requests[i]!.type].test(text));
    const checks = named.map((i) => checkConfirmation(this.intent.requests[i]!, text));
    const k = Math.max(0, checks.findIndex((c) => c.ok));
    const target: number | undefined = named[k];
    const check = checks[k] ?? { ok: false, problems: ['no request of mine matches'] };
    if (target !== undefined && check.ok && this.intent.confirms) {
      this.confirmations++;
      this.status[target] = 'awaiting';
      return this.say(this.voice.yes(), `confirmed request ${target}`);
    }
    this.refusals++;
    // A summary that gets one of my requests wrong ends that request: I do not negotiate it.
    if (target !== undefined) this.status[target] = 'refused';
    if (this.allSettled()) return this.say(`${this.voice.no()} ${this.voice.done()}`, check.problems.join('; '));
    return this.say(this.voice.no(), check.problems.join('; '));
  }

  private details(): string {
    this.detailed = true;
    const open = this.openIndexes();
    return (open.length ? open : this.intent.requests.map((_, i) => i)).map((i) => this.text(this.intent.requests[i]!, true)).join(' ');
  }

  /** Restates the next open request; after MAX_RESTATES the user gives up rather than loop. */
  private nextOpen(): string {
    const i = this.openIndexes()[0];
    if (i === undefined) return 'I am waiting for you to finish that.';
    if (++this.restated > MAX_RESTATES) return GIVE_UP;
    return `I still need this: ${this.text(this.intent.requests[i]!, true)}`;
  }

  private openIndexes(): number[] {
    return this.status.flatMap((s, i) => (s === 'open' ? [i] : []));
  }

  private allSettled(): boolean {
    return this.status.every((s) => s !== 'open' && s !== 'awaiting');
  }

  private say(content: string, hidden?: string): UserReply {
    const r: UserReply = { content, stop: content.includes(STOP_TOKEN) };
    if (hidden) r.hidden = hidden;
    return r;
  }
}
