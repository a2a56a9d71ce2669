import type { Action } from '../dataset/task.ts';
import { dumps } from '../py/dumps.ts';
import { fromJs, type PyDict } from '../py/value.ts';
import type { IdentityT, Request } from './intent.ts';
import type { Rng } from './prng.ts';

/** One ground-truth action from plain values (no floats: task kwargs never hold one). */
export function act(name: string, kwargs: Record<string, unknown> = {}): Action {
  return { name, kwargs: fromJs(kwargs) as PyDict };
}

/**
 * One request of a task, as a generator builds it: the look-ups it needs, the writes the policy
 * calls for (none when it must be denied or transferred), the strings the user must be told, and
 * its near-miss: a replacement for one write with one argument changed, or, for a request with no
 * write, the tempting write the policy forbids.
 */
export interface Piece {
  request: Request;
  reads: Action[];
  writes: Action[];
  outputs: string[];
  twin: { write: number; action: Action } | { extra: Action };
  difficulty: number;
  /** Whether the agent needs the user's profile (payment ids, order list, membership). */
  needsProfile: boolean;
}

export interface Draft {
  userId: string;
  kind: string;
  identity: IdentityT;
  name: string;
  actions: Action[];
  nearMiss: Action[];
  outputs: string[];
  requests: Request[];
  difficulty: number;
}

/** Which tasks a generator may draft: a subset of request kinds, and/or one request per task. */
export interface DraftOptions {
  /** Request kinds allowed (all when absent); a multi-request task combines allowed kinds only. */
  kinds?: ReadonlySet<string>;
  /** Only single-request tasks. */
  singleRequest?: boolean;
}

/** A domain's request kinds: name, the maker of one request, and its weight among single requests. */
export type KindTable<C> = readonly (readonly [string, (ctx: C) => Piece | null, number])[];

/**
 * Draws how many requests a task has, then each request's kind and piece (null when the user cannot
 * support a drawn kind). With no options the draws are exactly those the generators always made,
 * so output for a seed is unchanged; options filter the kinds and force one request, keeping the
 * same number of draws. When the allowed kinds include none that combine, tasks have one request.
 */
export function drawPieces<C>(rng: Rng, ctx: C, table: KindTable<C>, combinable: ReadonlySet<string>, counts: readonly (readonly [number, number])[], opts: DraftOptions): Piece[] | null {
  const allowed = opts.kinds ? table.filter(([k]) => opts.kinds!.has(k)) : table;
  const multi = allowed.filter(([k]) => combinable.has(k));
  const drawn = rng.weighted(counts);
  const count = opts.singleRequest || multi.length === 0 ? 1 : drawn;
  const pool = count === 1 ? allowed : multi;
  const pieces: Piece[] = [];
  for (let i = 0; i < count; i++) {
    const piece = rng.weighted(pool.map(([, m, w]) => [m, w] as const))(ctx);
    if (!piece) return null;
    pieces.push(piece);
  }
  return pieces;
}

const key = (a: Action): string => a.name + dumps(a.kwargs);

/**
 * Joins pieces into one task: authentication, profile, then each request's look-ups and writes
 * in order. A look-up already made is not repeated. The near-miss twin perturbs one piece.
 */
export function assemble(
  userId: string,
  name: string,
  identity: IdentityT,
  auth: Action[],
  profile: Action,
  pieces: Piece[],
  twinOf: number,
): Draft {
  const actions: Action[] = [...auth];
  const seen = new Set(actions.map(key));
  const push = (a: Action, read: boolean): number => {
    if (read && seen.has(key(a))) return -1;
    seen.add(key(a));
    actions.push(a);
    return actions.length - 1;
  };
  if (pieces.some((p) => p.needsProfile)) push(profile, true);
  let twinAt = -1;
  let twinAction: Action | undefined;
  pieces.forEach((p, i) => {
    for (const r of p.reads) push(r, true);
    p.writes.forEach((w, j) => {
      const at = push(w, false);
      if (i === twinOf && 'write' in p.twin && p.twin.write === j) {
        twinAt = at;
        twinAction = p.twin.action;
      }
    });
  });
  const nearMiss = [...actions];
  const twin = pieces[twinOf]!.twin;
  if ('extra' in twin) nearMiss.push(twin.extra);
  else if (twinAction) nearMiss[twinAt] = twinAction;
  return {
    userId,
    kind: pieces.map((p) => p.request.type).join('+'),
    identity,
    name,
    actions,
    nearMiss,
    outputs: pieces.flatMap((p) => p.outputs),
    requests: pieces.map((p) => p.request),
    difficulty: Math.min(3, pieces.reduce((s, p) => s + p.difficulty, 0) + (pieces.length > 1 ? 1 : 0)),
  };
}

/** A money amount as τ-bench's output check would find it in a reply ("1,234.50" → "1234.5"). */
export function moneyText(x: number): string {
  return String(Math.round(x * 100) / 100);
}
