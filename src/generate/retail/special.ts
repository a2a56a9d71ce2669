import { act, type Piece } from '../draft.ts';
import { makeAddress } from '../people.ts';
import { str } from '../record.ts';
import { referOrder, type RetailCtx } from './context.ts';
import { addressArgs, otherZip } from './pending.ts';
import { distinctItems, firstPayment, itemRef } from './view.ts';

/** Profile change, and the requests the agent must refuse or hand to a human. */

export function modifyUserAddress(ctx: RetailCtx): Piece | null {
  if (ctx.used.has('<profile>')) return null;
  ctx.used.add('<profile>');
  const address = addressArgs(makeAddress(ctx.rng));
  const user_id = ctx.userId;
  return {
    request: { type: 'modify_user_address', outcome: 'performed', address: { address1: address.address1!, address2: address.address2!, city: address.city!, state: address.state!, country: address.country!, zip: address.zip! } },
    reads: [],
    writes: [act('modify_user_address', { user_id, ...address })],
    outputs: [],
    twin: { write: 0, action: act('modify_user_address', { user_id, ...otherZip(address) }) },
    difficulty: 0,
    needsProfile: false,
  };
}

/**
 * The user asks to cancel a friend's pending order. The tool would do it (it does not check the
 * owner), but the policy serves one authenticated user per conversation: the agent must refuse.
 */
export function otherUsersOrder(ctx: RetailCtx): Piece | null {
  for (let tries = 0; tries < 20; tries++) {
    const ownerId = ctx.rng.pick(ctx.v.userIds);
    if (ownerId === ctx.userId) continue;
    const pending = ctx.v.ordersOf(ownerId, 'pending');
    if (!pending.length) continue;
    const order = ctx.rng.pick(pending);
    const order_id = str(order, 'order_id');
    return {
      request: { type: 'other_users_order', outcome: 'denied', order: { order_id, products: distinctItems(order).map((i) => str(i, 'name')).sort() }, wants: 'cancel', owner: ctx.v.fullName(ownerId) },
      reads: [act('get_order_details', { order_id })],
      writes: [],
      outputs: [],
      twin: { extra: act('cancel_pending_order', { order_id, reason: 'no longer needed' }) },
      difficulty: 1,
      needsProfile: false,
    };
  }
  return null;
}

/**
 * Damaged delivered items, and the user wants money back while keeping them: no tool covers it,
 * so the agent transfers. A return would be accepted by the API, which makes it the tempting error.
 */
export function damagedItemsRefund(ctx: RetailCtx): Piece | null {
  const orders = ctx.v.ordersOf(ctx.userId, 'delivered').filter((o) => !ctx.used.has(str(o, 'order_id')) && distinctItems(o).length > 0);
  if (!orders.length) return null;
  const order = ctx.rng.pick(orders);
  ctx.used.add(str(order, 'order_id'));
  const items = ctx.rng.sample(distinctItems(order), 1);
  const pick = referOrder(ctx, order);
  const order_id = str(order, 'order_id');
  return {
    request: { type: 'damaged_items_refund', outcome: 'transferred', order: pick.ref, items: items.map(itemRef) },
    reads: pick.reads,
    writes: [act('transfer_to_human_agents', { summary: `User ${ctx.userId} received damaged items in order ${order_id} and wants a refund while keeping them; this is outside what I can do.` })],
    outputs: [],
    twin: { extra: act('return_delivered_order_items', { order_id, item_ids: items.map((i) => str(i, 'item_id')), payment_method_id: firstPayment(order).id }) },
    difficulty: 1 + pick.difficulty,
    needsProfile: pick.needsProfile,
  };
}
