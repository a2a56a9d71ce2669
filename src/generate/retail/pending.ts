import type { PyDict } from '../../py/value.ts';
import { act, type Piece } from '../draft.ts';
import { makeAddress } from '../people.ts';
import { num, str } from '../record.ts';
import { canPay, commit, referOrder, type RetailCtx } from './context.ts';
import { distinctItems, firstPayment, itemRef, optionsOf } from './view.ts';

/** Requests on pending orders: cancel, change address, change payment, change items. */

function freshPending(ctx: RetailCtx): PyDict | undefined {
  const candidates = ctx.v.ordersOf(ctx.userId, 'pending').filter((o) => !ctx.used.has(str(o, 'order_id')));
  return candidates.length ? ctx.rng.pick(candidates) : undefined;
}

export function cancelOrder(ctx: RetailCtx): Piece | null {
  const order = freshPending(ctx);
  if (!order) return null;
  ctx.used.add(str(order, 'order_id'));
  const pick = referOrder(ctx, order);
  const reason = ctx.rng.pick(['no longer needed', 'ordered by mistake'] as const);
  const other = reason === 'no longer needed' ? 'ordered by mistake' : 'no longer needed';
  const order_id = str(order, 'order_id');
  return {
    request: { type: 'cancel_order', outcome: 'performed', order: pick.ref, reason },
    reads: pick.reads,
    writes: [act('cancel_pending_order', { order_id, reason })],
    outputs: [],
    twin: { write: 0, action: act('cancel_pending_order', { order_id, reason: other }) },
    difficulty: pick.difficulty,
    needsProfile: pick.needsProfile,
  };
}

export function addressArgs(addr: PyDict): Record<string, string> {
  const keys = ['address1', 'address2', 'city', 'state', 'country', 'zip'] as const;
  return Object.fromEntries(keys.map((k) => [k, str(addr, k)]));
}

/** The same address with another zip: the near-miss of an address change. */
export function otherZip(args: Record<string, string>): Record<string, string> {
  const zip = args.zip ?? '00000';
  const last = (parseInt(zip.slice(-1), 10) + 1) % 10;
  return { ...args, zip: zip.slice(0, -1) + String(last) };
}

export function modifyOrderAddress(ctx: RetailCtx): Piece | null {
  const order = freshPending(ctx);
  if (!order) return null;
  ctx.used.add(str(order, 'order_id'));
  const pick = referOrder(ctx, order);
  const address = addressArgs(makeAddress(ctx.rng));
  const order_id = str(order, 'order_id');
  return {
    request: { type: 'modify_order_address', outcome: 'performed', order: pick.ref, address: { address1: address.address1!, address2: address.address2!, city: address.city!, state: address.state!, country: address.country!, zip: address.zip! } },
    reads: pick.reads,
    writes: [act('modify_pending_order_address', { order_id, ...address })],
    outputs: [],
    twin: { write: 0, action: act('modify_pending_order_address', { order_id, ...otherZip(address) }) },
    difficulty: pick.difficulty,
    needsProfile: pick.needsProfile,
  };
}

export function modifyOrderPayment(ctx: RetailCtx): Piece | null {
  const orders = ctx.v.ordersOf(ctx.userId, 'pending').filter((o) => {
    const h = o.get('payment_history');
    return !ctx.used.has(str(o, 'order_id')) && Array.isArray(h) && h.length === 1 && firstPayment(o).type === 'payment';
  });
  for (const order of ctx.rng.shuffle(orders)) {
    const current = firstPayment(order);
    const options = ctx.v.methods(ctx.userId).filter((m) => str(m, 'id') !== current.id && canPay(ctx, m, current.amount));
    if (!options.length) continue;
    const method = ctx.rng.pick(options);
    const alt = ctx.v.methods(ctx.userId).find((m) => str(m, 'id') !== str(method, 'id') && str(m, 'id') !== current.id);
    ctx.used.add(str(order, 'order_id'));
    commit(ctx, method, current.amount);
    const pick = referOrder(ctx, order);
    const order_id = str(order, 'order_id');
    return {
      request: { type: 'modify_order_payment', outcome: 'performed', order: pick.ref, payment: ctx.v.paymentRef(ctx.userId, str(method, 'id')) },
      reads: pick.reads,
      writes: [act('modify_pending_order_payment', { order_id, payment_method_id: str(method, 'id') })],
      outputs: [],
      // Without a third method, naming the current one is the near miss (the tool refuses it).
      twin: { write: 0, action: act('modify_pending_order_payment', { order_id, payment_method_id: alt ? str(alt, 'id') : current.id }) },
      difficulty: 1,
      needsProfile: true,
    };
  }
  return null;
}

/**
 * Item changes shared by pending-order modification and delivered-order exchange: 1–2 items,
 * each to another available variant of its product; pays with a method that covers the difference.
 */
export function itemChanges(ctx: RetailCtx, order: PyDict, round: boolean) {
  const items = distinctItems(order).filter((i) => ctx.v.alternatives(i).length > 0);
  if (!items.length) return null;
  const chosen = ctx.rng.sample(items, ctx.rng.weighted([[1, 70], [2, 30]] as const));
  const news = chosen.map((i) => ctx.rng.pick(ctx.v.alternatives(i)));
  let diff = chosen.reduce((s, it, k) => s + num(news[k]!, 'price') - num(it, 'price'), 0);
  if (round) diff = Math.round(diff * 100) / 100;
  const methods = ctx.v.methods(ctx.userId).filter((m) => canPay(ctx, m, diff));
  if (!methods.length) return null;
  const method = ctx.rng.pick(methods);
  commit(ctx, method, diff);
  const item_ids = chosen.map((i) => str(i, 'item_id'));
  const new_item_ids = news.map((n) => str(n, 'item_id'));
  const changes = chosen.map((it, k) => ({ item: itemRef(it), to: optionsOf(news[k]!) }));
  const altNew = ctx.v.alternatives(chosen[0]!, [new_item_ids[0]!]);
  const altMethod = ctx.v.methods(ctx.userId).find((m) => str(m, 'id') !== str(method, 'id'));
  const twinArgs = altNew.length
    ? { item_ids, new_item_ids: [str(altNew[0]!, 'item_id'), ...new_item_ids.slice(1)], payment_method_id: str(method, 'id') }
    : altMethod
      ? { item_ids, new_item_ids, payment_method_id: str(altMethod, 'id') }
      : null;
  if (!twinArgs) return null;
  return { item_ids, new_item_ids, changes, method, twinArgs, products: [...new Set(chosen.map((i) => str(i, 'product_id')))] };
}

export function modifyOrderItems(ctx: RetailCtx): Piece | null {
  for (const order of ctx.rng.shuffle(ctx.v.ordersOf(ctx.userId, 'pending').filter((o) => !ctx.used.has(str(o, 'order_id'))))) {
    const c = itemChanges(ctx, order, false);
    if (!c) continue;
    ctx.used.add(str(order, 'order_id'));
    const pick = referOrder(ctx, order);
    const order_id = str(order, 'order_id');
    return {
      request: { type: 'modify_order_items', outcome: 'performed', order: pick.ref, changes: c.changes, payment: ctx.v.paymentRef(ctx.userId, str(c.method, 'id')) },
      reads: [...pick.reads, ...c.products.map((product_id) => act('get_product_details', { product_id }))],
      writes: [act('modify_pending_order_items', { order_id, item_ids: c.item_ids, new_item_ids: c.new_item_ids, payment_method_id: str(c.method, 'id') })],
      outputs: [],
      twin: { write: 0, action: act('modify_pending_order_items', { order_id, ...c.twinArgs }) },
      difficulty: 1 + pick.difficulty + (c.item_ids.length > 1 ? 1 : 0),
      needsProfile: true,
    };
  }
  return null;
}
