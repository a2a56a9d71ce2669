import { createHash, randomUUID } from 'node:crypto';
import type { Task } from '../dataset/task.ts';
import { Sandbox } from '../sandbox/sandbox.ts';
import { ApiError } from './api-error.ts';
import type { ServedDomain, ServedWorld } from './world-source.ts';

/** Which world a new session gets: a task of a split, a seeded pick from a split, or no task. */
export interface SessionSpec {
  domain?: string | undefined;
  split?: string | undefined;
  task?: number | undefined;
  seed?: string | number | undefined;
}

/** One isolated world and what it was created for. */
export interface Session {
  readonly id: string;
  readonly domain: ServedDomain;
  readonly sandbox: Sandbox;
  /** The world the session runs in (the task's world) and its verifier. */
  readonly world: ServedWorld;
  readonly task: Task | null;
  readonly createdAt: number;
  lastUsed: number;
  /** Calls running now; a session is never evicted while it has one. */
  inFlight: number;
  /** Run once when the session ends (MCP closes its transport here). */
  readonly onClose: (() => void)[];
}

export interface SessionLimits {
  maxSessions: number;
  idleTtlMs: number;
}

/**
 * The live sessions of one server. Each owns a private Sandbox (its own SQLite copy), so no
 * session can observe another's writes. Idle sessions are evicted after `idleTtlMs`.
 */
export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly byName: ReadonlyMap<string, ServedDomain>;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    readonly domains: readonly ServedDomain[],
    readonly limits: SessionLimits,
  ) {
    this.byName = new Map(domains.map((d) => [d.name, d]));
    // Sweep often enough that a session lives at most ~1.5× its TTL; unref so it never holds the process.
    const every = Math.max(50, Math.min(10_000, Math.floor(limits.idleTtlMs / 2)));
    this.sweeper = setInterval(() => this.evictIdle(Date.now()), every).unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  /** Resolves a spec to its domain and task, with a 4xx for anything that does not exist. */
  resolve(spec: SessionSpec): { domain: ServedDomain; task: Task | null } {
    const domain = this.domainOf(spec.domain);
    if (spec.task === undefined && spec.seed === undefined) {
      if (spec.split !== undefined) throw new ApiError(400, 'bad_request', "'split' needs 'task' or 'seed'");
      return { domain, task: null };
    }
    if (spec.task !== undefined && spec.seed !== undefined) {
      throw new ApiError(400, 'bad_request', "give either 'task' or 'seed', not both");
    }
    if (spec.split === undefined) throw new ApiError(400, 'bad_request', "'task' and 'seed' need a 'split'");
    const tasks = domain.splits.get(spec.split);
    if (!tasks) {
      const known = [...domain.splits.keys()].join(', ');
      throw new ApiError(404, 'unknown_split', `domain '${domain.name}' has no split '${spec.split}' (known: ${known})`);
    }
    const index = spec.task ?? seededIndex(String(spec.seed), tasks.length);
    const task = tasks[index];
    if (!task) {
      throw new ApiError(404, 'unknown_task', `split '${spec.split}' has tasks 0..${tasks.length - 1}, not ${index}`);
    }
    return { domain, task };
  }

  create(spec: SessionSpec): Session {
    const { domain, task } = this.resolve(spec);
    if (this.sessions.size >= this.limits.maxSessions) {
      throw new ApiError(429, 'too_many_sessions', `the server holds its maximum of ${this.limits.maxSessions} sessions`);
    }
    const now = Date.now();
    const world = domain.world(task);
    const session: Session = {
      id: randomUUID(),
      domain,
      world,
      sandbox: new Sandbox(world.template),
      task,
      createdAt: now,
      lastUsed: now,
      inFlight: 0,
      onClose: [],
    };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The session, marked as used now; 404 when it never existed, was deleted or was evicted. */
  get(id: string): Session {
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
    s.sandbox.close();
    return true;
  }

  evictIdle(now: number): number {
    let n = 0;
    for (const s of [...this.sessions.values()]) {
      if (s.inFlight === 0 && now - s.lastUsed > this.limits.idleTtlMs && this.delete(s.id)) n++;
    }
    return n;
  }

  closeAll(): void {
    clearInterval(this.sweeper);
    for (const id of [...this.sessions.keys()]) this.delete(id);
  }

  private domainOf(name: string | undefined): ServedDomain {
    if (name === undefined) {
      if (this.domains.length === 1) return this.domains[0]!;
      throw new ApiError(400, 'bad_request', `'domain' is required: this server serves ${[...this.byName.keys()].join(', ')}`);
    }
    const d = this.byName.get(name);
    if (!d) throw new ApiError(404, 'unknown_domain', `this server does not serve domain '${name}' (serves: ${[...this.byName.keys()].join(', ')})`);
    return d;
  }
}

/** A task index that depends only on the seed (SHA-256, so nearby seeds spread evenly). */
function seededIndex(seed: string, n: number): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) % n;
}
