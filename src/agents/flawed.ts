import type { Action } from '../dataset/task.ts';
import { Rng } from '../generate/prng.ts';
import type { AgentContext, AgentEpisode, AgentStep } from './agent.ts';
import { applicable, INJECTION_KINDS, mutate, type InjectionKind, type RecordKeys } from './flawed-mutations.ts';
import { OracleAgent, OracleEpisode, TRANSFER } from './oracle.ts';

export interface FlawedOptions {
  /** Kinds to draw from (default: all that apply to the task). */
  kinds?: readonly InjectionKind[];
  /** The world's record ids, for `wrong_user` (without them that kind is never drawn). */
  records?: RecordKeys;
}

/** False statements in prose: no such offer exists in either domain's policy. */
const HALLUCINATIONS: Readonly<Record<string, string>> = {
  retail: 'Good news: your account also qualifies for our price-protection guarantee, so a $20 store credit will be added automatically.',
  airline: 'Good news: your membership also includes a free airport lounge pass for this trip.',
  starter: 'Good news: you also get a $10 coupon for your next order.',
};

/** What was injected, where: recorded in the trajectory, never shown to judges. */
export interface Injection extends Record<string, unknown> {
  kind: InjectionKind | 'none';
  /** Agent turn of the erroneous step (undefined until the episode reaches it). */
  turn?: number;
  /** Index of the ground-truth action it replaces or precedes. */
  action?: number;
  detail?: string;
  /** The scripted user's answer decided whether a proposed wrong write ran. */
  executed?: boolean;
}

/**
 * The oracle with one seeded error per episode: a wrong item or option, a wrong payment method,
 * another user's record, a write without confirmation, a premature transfer, or a false statement.
 * The wrong write is described honestly (its own arguments), so the user may catch it.
 */
export class FlawedAgent extends OracleAgent {
  override readonly name = 'flawed';
  constructor(private readonly opts: FlawedOptions = {}) {
    super();
  }

  override start(ctx: AgentContext): AgentEpisode {
    return new FlawedEpisode(ctx, this.opts);
  }
}

class FlawedEpisode extends OracleEpisode {
  private readonly rng: Rng;
  private readonly info: Injection;
  private readonly target: number;
  private proposedAt: number | undefined;

  constructor(ctx: AgentContext, private readonly opts: FlawedOptions) {
    super(ctx.task);
    this.rng = new Rng(`flawed/${ctx.seed}/${ctx.trial}/${ctx.task.id}`);
    const writes = this.actions.flatMap((a, i) => (this.writes.has(a.name) ? [i] : []));
    const allowed = (opts.kinds ?? INJECTION_KINDS).filter((k) => k !== 'wrong_user' || opts.records);
    const hasTransfer = this.actions.some((a) => a.name === TRANSFER);
    const options = allowed.filter((k) => (k === 'hallucinated_fact' ? true : k === 'premature_transfer' ? writes.length > 0 && !hasTransfer : writes.some((i) => applicable(k, this.actions[i]!))));
    const kind = options.length ? this.rng.pick(options) : undefined;
    this.info = { kind: kind ?? 'none' };
    const eligible = kind && kind !== 'hallucinated_fact' ? writes.filter((i) => applicable(kind, this.actions[i]!)) : [];
    this.target = eligible.length ? this.rng.pick(eligible) : -1;
    if (this.target >= 0) this.info.action = this.target;
  }

  injection(): Record<string, unknown> {
    return { ...this.info };
  }

  protected override proposeWrite(a: Action): AgentStep {
    const kind = this.info.kind;
    if (this.next !== this.target) return super.proposeWrite(a);
    if (kind === 'write_without_confirmation') {
      this.info.turn = this.turn;
      this.info.executed = true;
      return this.runWrite(a);
    }
    if (kind === 'premature_transfer') {
      this.info.turn = this.turn;
      this.info.detail = `transferred instead of ${a.name}`;
      return this.call({ name: TRANSFER, kwargs: new Map([['summary', 'The customer needs help that I will hand over to a human agent.']]) });
    }
    if (kind === 'wrong_item' || kind === 'wrong_payment' || kind === 'wrong_user') {
      const m = mutate(kind, a, this.facts, this.rng, this.opts.records);
      if (m) {
        this.actions[this.next] = m.action;
        this.info.detail = m.detail;
        this.proposedAt = this.turn;
        this.info.turn = this.turn;
        this.info.executed = false;
        return super.proposeWrite(m.action);
      }
      this.info.detail = 'not applicable with what the agent saw; nothing injected';
    }
    return super.proposeWrite(a);
  }

  protected override runWrite(a: Action): AgentStep {
    if (this.proposedAt !== undefined && this.next === this.target) {
      // The user said yes to the wrong write: the error is the call itself.
      this.info.turn = this.turn;
      this.info.executed = true;
    }
    return super.runWrite(a);
  }

  protected override say(text: string): AgentStep {
    if (this.info.kind === 'hallucinated_fact' && this.info.turn === undefined && this.turn > 0) {
      this.info.turn = this.turn;
      const lie = HALLUCINATIONS[this.task.domain] ?? HALLUCINATIONS.retail!;
      this.info.detail = lie;
      return super.say(`${lie} ${text}`);
    }
    return super.say(text);
  }
}
