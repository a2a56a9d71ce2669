/**
 * Sessions of τ²-bench worlds for `tarl serve`: each owns one environment (its agent and user
 * databases), the conversation its calls made (for evaluation), and optionally a gym episode.
 * Idle sessions are evicted; no session can observe another's writes.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Tau2Task } from '../dataset/tau2-task.ts';
import type { Tau2Message } from '../episode/tau2-messages.ts';
import type { Tau2GymEnv } from '../gym/tau2-gym.ts';
import type { Tau2Environment } from '../sandbox/tau2/environment.ts';
import { initialEnvironment } from '../sandbox/tau2/replay.ts';
import type { Tau2World } from '../sandbox/tau2/world.ts';
import type { PyDict } from '../py/value.ts';
import { ApiError } from './api-error.ts';

/** One served τ² domain: its world and tasks by split (`full` holds every task). */
export interface Tau2ServedDomain {
  name: string;
  world: Tau2World;
  splits: ReadonlyMap<string, readonly Tau2Task[]>;
}

export interface Tau2SessionSpec {
  domain?: string | undefined;
  split?: string | undefined;
  task?: number | undefined;
  task_id?: string | undefined;
  seed?: string | number | undefined;
  solo?: boolean | undefined;
}

export interface Tau2Session {
  readonly id: string;
  readonly domain: Tau2ServedDomain;
  readonly task: Tau2Task | null;
  readonly solo: boolean;
  readonly env: Tau2Environment;
  /** Every call made through the session's tool routes, in order (what evaluation replays). */
  readonly messages: Tau2Message[];
  gym?: Tau2GymEnv;
  lastUsed: number;
  readonly onClose: (() => void)[];
}

export class Tau2SessionStore {
  private readonly sessions = new Map<string, Tau2Session>();
  private readonly byName: ReadonlyMap<string, Tau2ServedDomain>;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly domains: readonly Tau2ServedDomain[],
    readonly limits: { maxSessions: number; idleTtlMs: number },
  ) {
    this.byName = new Map(domains.map((d) => [d.name, d]));
    const every = Math.max(50, Math.min(10_000, Math.floor(limits.idleTtlMs / 2)));
    this.sweeper = setInterval(() => this.evictIdle(Date.now()), every).unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  domainOf(name: string | undefined): Tau2ServedDomain {
    if (name === undefined) {
      if (this.domains.length === 1) return this.domains[0]!;
      throw new ApiError(400, 'bad_request', `'domain' is required: this server serves ${[...this.byName.keys()].join(', ')}`);
    }
    const d = this.byName.get(name);
    if (!d) throw new ApiError(404, 'unknown_domain', `this server does not serve domain '${name}' (serves: ${[...this.byName.keys()].join(', ')})`);
    return d;
  }

  resolve(spec: Tau2SessionSpec): { domain: Tau2ServedDomain; task: Tau2Task | null } {
    const domain = this.domainOf(spec.domain);
    const split = spec.split ?? 'full';
    const tasks = domain.splits.get(split);
    if (!tasks) throw new ApiError(404, 'unknown_split', `domain '${domain.name}' has no split '${split}' (known: ${[...domain.splits.keys()].join(', ')})`);
    const given = [spec.task, spec.task_id, spec.seed].filter((x) => x !== undefined).length;
    if (given > 1) throw new ApiError(400, 'bad_request', "give one of 'task', 'task_id' or 'seed'");
    if (given === 0) return { domain, task: null };
    if (spec.task_id !== undefined) {
      const t = tasks.find((x) => x.id === spec.task_id);
      if (!t) throw new ApiError(404, 'unknown_task', `split '${split}' has no task '${spec.task_id}'`);
      return { domain, task: t };
    }
    const index = spec.task ?? createHash('sha256').update(String(spec.seed)).digest().readUInt32BE(0) % tasks.length;
    const t = tasks[index];
    if (!t) throw new ApiError(404, 'unknown_task', `split '${split}' has tasks 0..${tasks.length - 1}, not ${index}`);
    return { domain, task: t };
  }

  create(spec: Tau2SessionSpec, extra: Partial<Pick<Tau2Session, 'gym'>> = {}): Tau2Session {
    const { domain, task } = this.resolve(spec);
    const solo = spec.solo ?? false;
    if (solo && domain.name !== 'telecom') throw new ApiError(400, 'bad_request', `solo mode exists for telecom only, not '${domain.name}'`);
    if (this.sessions.size >= this.limits.maxSessions) throw new ApiError(429, 'too_many_sessions', `the server holds its maximum of ${this.limits.maxSessions} sessions`);
    const env = task ? initialEnvironment(domain.world, task, solo ? { soloMode: true } : {}) : domain.world.environment(solo ? { soloMode: true } : {});
    const session: Tau2Session = { id: randomUUID(), domain, task, solo, env, messages: [], lastUsed: Date.now(), onClose: [], ...extra };
    this.sessions.set(session.id, session);
    return session;
  }

  get(id: string): Tau2Session {
    const s = this.sessions.get(id);
    if (!s) throw new ApiError(404, 'unknown_session', `no session '${id}' (never created, deleted, or evicted after idling)`);
    s.lastUsed = Date.now();
    return s;
  }

  has(id: string): boolean {
    return this.sessions.has(id);
  }

  delete(id: string): boolean {
    const s = this.sessions.get(id);
    if (!s) return false;
    this.sessions.delete(id);
    for (const f of s.onClose) f();
    return true;
  }

  evictIdle(now: number): number {
    let n = 0;
    for (const s of [...this.sessions.values()]) if (now - s.lastUsed > this.limits.idleTtlMs && this.delete(s.id)) n++;
    return n;
  }

  closeAll(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.sessions.keys()]) this.delete(id);
  }
}

/** Runs one tool call in a session and records it (agent or user side). */
export function sessionCall(s: Tau2Session, name: string, args: PyDict, requestor: 'user' | 'assistant'): { observation: string; error: boolean } {
  const id = `call_${s.messages.length}`;
  const r = s.env.getResponse({ id, name, arguments: args, requestor });
  s.env.sync();
  s.messages.push({ role: requestor, content: null, toolCalls: [{ id, name, arguments: args, requestor }] });
  s.messages.push({ role: 'tool', id, content: r.content, error: r.error, requestor });
  return { observation: r.content, error: r.error };
}
