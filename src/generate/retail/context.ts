import type { Action } from '../../dataset/task.ts';
import type { PyDict } from '../../py/value.ts';
import { act } from '../draft.ts';
import type { Rng } from '../prng.ts';
import { num, str, strings } from '../record.ts';
import type { RetailView } from './view.ts';

/** What a request generator sees: the world, the user, and what earlier requests of the task took. */
export interface RetailCtx {
  v: RetailView;
  rng: Rng;
  userId: string;
  /** Orders already used by this task (one request per order). */
  used: Set<string>;
  /** Gift-card money committed by earlier requests of this task. */
  spent: Map<string, number>;
}

/** Whether a gift card (or any other method) can cover `amount` after earlier requests. */
export function canPay(ctx: RetailCtx, method: PyDict, amount: number): boolean {
  if (str(method, 'source') !== 'gift_card' || amount <= 0) return true;
  return num(method, 'balance') - (ctx.spent.get(str(method, 'id')) ?? 0) >= amount + 0.005;
}

export function commit(ctx: RetailCtx, method: PyDict, amount: number): void {
  if (str(method, 'source') === 'gift_card' && amount > 0) ctx.spent.set(str(method, 'id'), (ctx.spent.get(str(method, 'id')) ?? 0) + amount);
}

export interface OrderPick {
  ref: { order_id?: string; products: string[] };
  reads: Action[];
  needsProfile: boolean;
  difficulty: number;
}

/**
 * How the user points at an order: by id (most users), or by the products in it, in which case
 * the agent must list the profile's orders and open them until it finds the one that matches.
 */
export function referOrder(ctx: RetailCtx, order: PyDict): OrderPick {
  const orderId = str(order, 'order_id');
  const products = [...new Set(ordersProducts(order))].sort();
  const mine = strings(ctx.v.user(ctx.userId), 'orders');
  const others = mine.filter((id) => id !== orderId).map((id) => ctx.v.orders.get(id));
  const unique = others.every((o) => !o || !products.every((p) => ordersProducts(o).includes(p)));
  if (!unique || ctx.rng.chance(0.75)) {
    return { ref: { order_id: orderId, products }, reads: [act('get_order_details', { order_id: orderId })], needsProfile: false, difficulty: 0 };
  }
  const upTo = mine.slice(0, mine.indexOf(orderId) + 1);
  return { ref: { products }, reads: upTo.map((id) => act('get_order_details', { order_id: id })), needsProfile: true, difficulty: 1 };
}

function ordersProducts(order: PyDict): string[] {
  const items = order.get('items');
  return Array.isArray(items) ? items.filter((i): i is PyDict => i instanceof Map).map((i) => str(i, 'name')) : [];
}
