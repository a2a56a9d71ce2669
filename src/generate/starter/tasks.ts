import type { WorldData } from '../../domains/domain.ts';
import type { PyDict } from '../../py/value.ts';
import { act, assemble, drawPieces, type DraftOptions, type Draft, type KindTable, type Piece } from '../draft.ts';
import type { Rng } from '../prng.ts';
import { num, str, strings } from '../record.ts';

/** Read-only indexes over a starter world that the task generator queries. */
export class StarterView {
  readonly users: Map<string, PyDict>;
  readonly orders: Map<string, PyDict>;
  readonly userIds: string[];
  readonly orderIds: string[];

  constructor(data: WorldData) {
    this.users = data.get('users') ?? new Map();
    this.orders = data.get('orders') ?? new Map();
    this.userIds = [...this.users.keys()];
    this.orderIds = [...this.orders.keys()];
  }

  name(userId: string): string {
    const u = this.users.get(userId);
    if (!u) throw new Error(`no user ${userId}`);
    return str(u, 'name');
  }

  /** The user's orders (in profile order) whose status is one of `statuses` (any when none given). */
  ordersOf(userId: string, ...statuses: string[]): PyDict[] {
    const u = this.users.get(userId);
    if (!u) throw new Error(`no user ${userId}`);
    return strings(u, 'orders')
      .map((id) => this.orders.get(id))
      .filter((o): o is PyDict => o !== undefined && (statuses.length === 0 || statuses.includes(str(o, 'status'))));
  }
}

/** What a request maker sees: the world, the user, and the orders earlier requests of the task took. */
export interface StarterCtx {
  v: StarterView;
  rng: Rng;
  userId: string;
  /** Orders already used by this task (one request per order; near-miss targets included). */
  used: Set<string>;
}

const orderRef = (o: PyDict): { order_id: string; products: string[] } => ({ order_id: str(o, 'order_id'), products: [str(o, 'item')] });

function fresh(ctx: StarterCtx, ...statuses: string[]): PyDict | undefined {
  const candidates = ctx.v.ordersOf(ctx.userId, ...statuses).filter((o) => !ctx.used.has(str(o, 'order_id')));
  return candidates.length ? ctx.rng.pick(candidates) : undefined;
}

/** The user's pending order: cancelled for the reason they give. Near miss: the other reason. */
export function cancelOrder(ctx: StarterCtx): Piece | null {
  const order = fresh(ctx, 'pending');
  if (!order) return null;
  const order_id = str(order, 'order_id');
  ctx.used.add(order_id);
  const reason = ctx.rng.pick(['no longer needed', 'ordered by mistake'] as const);
  const other = reason === 'no longer needed' ? 'ordered by mistake' : 'no longer needed';
  return {
    request: { type: 'cancel_order', outcome: 'performed', order: orderRef(order), reason },
    reads: [act('get_order', { order_id })],
    writes: [act('cancel_order', { order_id, reason })],
    outputs: [],
    twin: { write: 0, action: act('cancel_order', { order_id, reason: other }) },
    difficulty: 0,
    needsProfile: false,
  };
}

/**
 * The user's delivered order, returned (the user knows its amount: the confirmation must carry
 * it). Near miss: the return of another order — another of the user's own when they have one.
 */
export function returnOrder(ctx: StarterCtx): Piece | null {
  const order = fresh(ctx, 'delivered');
  if (!order) return null;
  const order_id = str(order, 'order_id');
  ctx.used.add(order_id);
  const mine = ctx.v.ordersOf(ctx.userId).map((o) => str(o, 'order_id')).filter((id) => id !== order_id);
  const wrong = mine.length ? ctx.rng.pick(mine) : ctx.rng.pick(ctx.v.orderIds.filter((id) => id !== order_id));
  return {
    request: { type: 'return_order', outcome: 'performed', order: orderRef(order), amount: num(order, 'amount') },
    reads: [act('get_order', { order_id })],
    writes: [act('return_order', { order_id })],
    outputs: [],
    twin: { write: 0, action: act('return_order', { order_id: wrong }) },
    difficulty: 0,
    needsProfile: false,
  };
}

/** The write the API would accept on an order, if any (what an over-eager agent might do unasked). */
function unaskedWrite(order: PyDict): ReturnType<typeof act> | undefined {
  const order_id = str(order, 'order_id');
  const status = str(order, 'status');
  if (status === 'pending') return act('cancel_order', { order_id, reason: 'no longer needed' });
  if (status === 'delivered') return act('return_order', { order_id });
  return undefined;
}

/**
 * The user asks the status of one of their orders: look-ups only, and the status word is the
 * required output (τ-bench's outputs rule). Near miss: an unrequested write the API accepts — on
 * that order when it can be cancelled or returned, else on another order of the user (reserved,
 * so no other request of the task uses it).
 */
export function orderStatus(ctx: StarterCtx): Piece | null {
  const order = fresh(ctx);
  if (!order) return null;
  const order_id = str(order, 'order_id');
  let extra = unaskedWrite(order);
  if (!extra) {
    const others = ctx.v.ordersOf(ctx.userId, 'pending', 'delivered').filter((o) => !ctx.used.has(str(o, 'order_id')) && str(o, 'order_id') !== order_id);
    if (!others.length) return null;
    const target = ctx.rng.pick(others);
    ctx.used.add(str(target, 'order_id'));
    extra = unaskedWrite(target)!;
  }
  ctx.used.add(order_id);
  return {
    request: { type: 'order_status', outcome: 'performed', order: orderRef(order) },
    reads: [act('get_order', { order_id })],
    writes: [],
    outputs: [str(order, 'status')],
    twin: { extra },
    difficulty: 0,
    needsProfile: false,
  };
}

/**
 * The user asks to cancel a friend's pending order. `cancel_order` would do it (it does not check
 * the owner), but the policy serves only the identified customer: the agent must refuse. The
 * look-up shows the order belongs to someone else. Near miss: the cancellation.
 */
export function otherUsersOrder(ctx: StarterCtx): Piece | null {
  for (let tries = 0; tries < 20; tries++) {
    const ownerId = ctx.rng.pick(ctx.v.userIds);
    if (ownerId === ctx.userId || ctx.v.name(ownerId) === ctx.v.name(ctx.userId)) continue;
    const pending = ctx.v.ordersOf(ownerId, 'pending');
    if (!pending.length) continue;
    const order = ctx.rng.pick(pending);
    const order_id = str(order, 'order_id');
    return {
      request: { type: 'other_users_order', outcome: 'denied', order: orderRef(order), wants: 'cancel', owner: ctx.v.name(ownerId) },
      reads: [act('get_order', { order_id })],
      writes: [],
      outputs: [],
      twin: { extra: act('cancel_order', { order_id, reason: 'no longer needed' }) },
      difficulty: 1,
      needsProfile: false,
    };
  }
  return null;
}

/** Request kinds and their share of single-request tasks. */
export const STARTER_KINDS: KindTable<StarterCtx> = [
  ['cancel_order', cancelOrder, 30],
  ['return_order', returnOrder, 30],
  ['order_status', orderStatus, 25],
  ['other_users_order', otherUsersOrder, 15],
];

/** Kinds that can be combined in a multi-request task. */
const COMBINABLE = new Set(['cancel_order', 'return_order', 'order_status']);

/** Requests per task: mostly one, a few two (none with `singleRequest`). */
const COUNTS = [[1, 85], [2, 15]] as const;

/** One starter task draft, or null when the drawn user cannot support the drawn kinds. */
export function draftStarterTask(v: StarterView, rng: Rng, opts: DraftOptions = {}): Draft | null {
  const userId = rng.pick(v.userIds);
  const ctx: StarterCtx = { v, rng, userId, used: new Set() };
  const pieces = drawPieces(rng, ctx, STARTER_KINDS, COMBINABLE, COUNTS, opts);
  if (!pieces) return null;
  const profile = act('get_user', { user_id: userId });
  return assemble(userId, v.name(userId), { method: 'user_id', user_id: userId }, [profile], profile, pieces, rng.int(0, pieces.length - 1));
}
