import type { Action } from '../dataset/task.ts';
import { toJs } from '../py/value.ts';
import type { Facts } from './facts.ts';

/**
 * A write described in the words the scripted user checks (docs/dialogue-acts.md, "details"):
 * record ids, products with their options, payment kind with last four digits, addresses,
 * cabins, dates, passengers, bag counts, insurance. Built from the call's own arguments and what
 * the agent saw, so a wrong argument shows up as a wrong detail.
 */
export function describeWrite(a: Action, facts: Facts): string {
  const k = toJs(a.kwargs) as Record<string, unknown>;
  const s = (key: string): string => String(k[key] ?? '');
  const ids = (key: string): string[] => (Array.isArray(k[key]) ? (k[key] as unknown[]).map(String) : []);
  const pay = (key: string): string => paymentWords(s(key), facts);
  switch (a.name) {
    case 'cancel_pending_order':
      return `cancel ${orderWords(s('order_id'), facts)} (reason: ${s('reason')})`;
    case 'modify_pending_order_address':
      return `change the shipping address of ${orderWords(s('order_id'), facts)} to ${addressWords(k)}`;
    case 'modify_user_address':
      return `change the default address on your account to ${addressWords(k)}`;
    case 'modify_pending_order_payment':
      return `pay for ${orderWords(s('order_id'), facts)} with ${pay('payment_method_id')} instead`;
    case 'modify_pending_order_items':
    case 'exchange_delivered_order_items': {
      const verb = a.name === 'exchange_delivered_order_items' ? 'exchange' : 'change';
      const news = ids('new_item_ids');
      const pairs = ids('item_ids').map((id, i) => `${itemWords(id, facts)} to ${itemWords(news[i] ?? '', facts)}`);
      return `in order ${s('order_id')}, ${verb} ${pairs.join('; and ')}, with any price difference through ${pay('payment_method_id')}`;
    }
    case 'return_delivered_order_items':
      return `return ${ids('item_ids').map((id) => itemWords(id, facts)).join(' and ')} from order ${s('order_id')}, with the refund going to ${pay('payment_method_id')}`;
    case 'book_reservation':
      return bookingWords(k, facts);
    case 'update_reservation_flights':
      return `update reservation ${s('reservation_id')} to ${cabinWords(s('cabin'))} on ${flightWords(k.flights)}, with any difference through ${pay('payment_id')}`;
    case 'update_reservation_baggages': {
      const id = s('reservation_id');
      const total = Number(k.total_baggages);
      const before = facts.bags.get(id);
      const change = before === undefined ? '' : total >= before ? `add ${total - before} checked bag${total - before === 1 ? '' : 's'}, ` : `remove ${before - total} checked bag${before - total === 1 ? '' : 's'}, `;
      return `update the checked bags of reservation ${id}: ${change}${total} checked bags in total (${s('nonfree_baggages')} paid), with any fee through ${pay('payment_id')}`;
    }
    case 'update_reservation_passengers':
      return `set the passengers of reservation ${s('reservation_id')} to ${passengerWords(k.passengers)}`;
    case 'cancel_reservation':
      return `cancel reservation ${s('reservation_id')}`;
    case 'send_certificate':
      return `send you a travel certificate of $${s('amount')} as compensation`;
    // The starter store: short and regular (what a tiny model learns to say).
    case 'cancel_order':
      return `cancel order ${s('order_id')} (reason: ${s('reason')})`;
    case 'return_order': {
      const amount = facts.amounts.get(s('order_id'));
      return amount === undefined ? `return order ${s('order_id')}` : `return order ${s('order_id')} (refund: $${amount})`;
    }
    default:
      return `run ${a.name} with ${JSON.stringify(k)}`;
  }
}

/** An order by id and, when seen, the products in it (users often know only those). */
export function orderWords(id: string, facts: Facts): string {
  const names = [...new Set((facts.orderItems.get(id) ?? []).map((i) => facts.items.get(i)?.product).filter((x): x is string => x !== undefined))];
  return names.length ? `order ${id} (with the ${names.join(', ')})` : `order ${id}`;
}

export function itemWords(id: string, facts: Facts): string {
  const f = facts.items.get(id);
  if (!f) return `item ${id}`;
  return `the ${f.product} (${Object.entries(f.options).map(([k, v]) => `${k}: ${v}`).join(', ')})`;
}

export function paymentWords(id: string, facts: Facts): string {
  const f = facts.payments.get(id);
  const source = f?.source ?? id.replace(/_\d+$/, '');
  if (source === 'credit_card') return f?.lastFour ? `your credit card ending in ${f.lastFour} (${id})` : `your credit card (${id})`;
  if (source === 'paypal') return `your PayPal account (${id})`;
  if (source === 'gift_card') return `your gift card (${id})`;
  if (source === 'certificate') return `your travel certificate (${id})`;
  return `payment method ${id}`;
}

function addressWords(k: Record<string, unknown>): string {
  return ['address1', 'address2', 'city', 'state', 'zip', 'country'].map((f) => String(k[f] ?? '')).filter(Boolean).join(', ');
}

export function cabinWords(c: string): string {
  return c.replace('_', ' ');
}

function flightWords(v: unknown): string {
  const fs = Array.isArray(v) ? v : [];
  return fs.map((f: unknown) => (typeof f === 'object' && f !== null ? `flight ${String((f as Record<string, unknown>).flight_number)} on ${String((f as Record<string, unknown>).date)}` : '')).join(' and ');
}

function passengerWords(v: unknown): string {
  const ps = Array.isArray(v) ? v : [];
  return ps
    .map((p: unknown) => {
      const r = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
      return `${String(r.first_name)} ${String(r.last_name)} (born ${String(r.dob)})`;
    })
    .join(', ');
}

function bookingWords(k: Record<string, unknown>, facts: Facts): string {
  const pays = Array.isArray(k.payment_methods) ? k.payment_methods : [];
  const payText = pays
    .map((p: unknown) => {
      const r = (typeof p === 'object' && p !== null ? p : {}) as Record<string, unknown>;
      return `${paymentWords(String(r.payment_id), facts)} for $${String(r.amount)}`;
    })
    .join(' and ');
  const trip = k.flight_type === 'round_trip' ? 'round trip' : 'one-way trip';
  const ins = k.insurance === 'yes' ? 'with travel insurance' : 'without travel insurance';
  return `book a ${trip} from ${String(k.origin)} to ${String(k.destination)} in ${cabinWords(String(k.cabin))} on ${flightWords(k.flights)}, for ${passengerWords(k.passengers)}, with ${String(k.total_baggages)} checked bags (${String(k.nonfree_baggages)} paid), ${ins}, paid with ${payText}`;
}
