import type { Action } from '../../dataset/task.ts';
import type { PyDict } from '../../py/value.ts';
import { act, moneyText, type Piece } from '../draft.ts';
import { num, str } from '../record.ts';
import { referOrder, type RetailCtx } from './context.ts';
import { itemChanges } from './pending.ts';
import { distinctItems, firstPayment, itemRef, orderItems } from './view.ts';

/** Requests on delivered orders: return items, exchange items. */

function freshDelivered(ctx: RetailCtx): PyDict[] {
  return ctx.rng.shuffle(ctx.v.ordersOf(ctx.userId, 'delivered').filter((o) => !ctx.used.has(str(o, 'order_id'))));
}

export function returnItems(ctx: RetailCtx): Piece | null {
  for (const order of freshDelivered(ctx)) {
    const items = distinctItems(order);
    if (!items.length) continue;
    const chosen = ctx.rng.sample(items, ctx.rng.int(1, Math.min(3, items.length)));
    const original = firstPayment(order).id;
    const giftCards = ctx.v.methods(ctx.userId).filter((m) => str(m, 'source') === 'gift_card' && str(m, 'id') !== original);
    const toCard = giftCards.length > 0 && ctx.rng.chance(0.4);
    const refund = toCard ? str(ctx.rng.pick(giftCards), 'id') : original;
    if (!ctx.v.methods(ctx.userId).some((m) => str(m, 'id') === refund)) continue;
    const item_ids = chosen.map((i) => str(i, 'item_id'));
    const others = orderItems(order).filter((i) => !item_ids.includes(str(i, 'item_id')));
    const altRefund = refund === original ? giftCards[0] && str(giftCards[0], 'id') : original;
    const twinIds = item_ids.length > 1 ? item_ids.slice(1) : others[0] ? [...item_ids, str(others[0], 'item_id')] : null;
    const twin = twinIds ? { item_ids: twinIds, payment_method_id: refund } : altRefund ? { item_ids, payment_method_id: altRefund } : null;
    if (!twin) continue;
    ctx.used.add(str(order, 'order_id'));
    const pick = referOrder(ctx, order);
    const order_id = str(order, 'order_id');
    const ask = ctx.rng.chance(0.4);
    const prices = chosen.map((i) => num(i, 'price'));
    const reads: Action[] = [...pick.reads];
    if (ask && prices.length > 1) reads.push(act('calculate', { expression: prices.map((p) => moneyText(p)).join(' + ') }));
    return {
      request: { type: 'return_items', outcome: 'performed', order: pick.ref, items: chosen.map(itemRef), refund_to: ctx.v.paymentRef(ctx.userId, refund), ask_refund_total: ask },
      reads,
      writes: [act('return_delivered_order_items', { order_id, item_ids, payment_method_id: refund })],
      outputs: ask ? [moneyText(prices.reduce((s, p) => s + p, 0))] : [],
      twin: { write: 0, action: act('return_delivered_order_items', { order_id, ...twin }) },
      difficulty: pick.difficulty + (toCard ? 1 : 0) + (ask ? 1 : 0),
      needsProfile: pick.needsProfile || toCard,
    };
  }
  return null;
}

export function exchangeItems(ctx: RetailCtx): Piece | null {
  for (const order of freshDelivered(ctx)) {
    const c = itemChanges(ctx, order, true);
    if (!c) continue;
    ctx.used.add(str(order, 'order_id'));
    const pick = referOrder(ctx, order);
    const order_id = str(order, 'order_id');
    return {
      request: { type: 'exchange_items', outcome: 'performed', order: pick.ref, changes: c.changes, payment: ctx.v.paymentRef(ctx.userId, str(c.method, 'id')) },
      reads: [...pick.reads, ...c.products.map((product_id) => act('get_product_details', { product_id }))],
      writes: [act('exchange_delivered_order_items', { order_id, item_ids: c.item_ids, new_item_ids: c.new_item_ids, payment_method_id: str(c.method, 'id') })],
      outputs: [],
      twin: { write: 0, action: act('exchange_delivered_order_items', { order_id, ...c.twinArgs }) },
      difficulty: 1 + pick.difficulty + (c.item_ids.length > 1 ? 1 : 0),
      needsProfile: true,
    };
  }
  return null;
}
