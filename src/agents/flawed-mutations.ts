import type { Action } from '../dataset/task.ts';
import type { Facts } from '../dialogue/facts.ts';
import type { Rng } from '../generate/prng.ts';
import { fromJs, toJs, type PyDict } from '../py/value.ts';

/** Injected error kinds (docs/dialogue-acts.md, "flawed agent"). */
export const INJECTION_KINDS = ['wrong_item', 'wrong_payment', 'wrong_user', 'write_without_confirmation', 'premature_transfer', 'hallucinated_fact'] as const;
export type InjectionKind = (typeof INJECTION_KINDS)[number];

/** Kinds that change the database away from the ground truth, so the verifier must score 0. */
export const OUTCOME_CHANGING: readonly InjectionKind[] = ['wrong_item', 'wrong_payment', 'wrong_user', 'premature_transfer'];

type Kw = Record<string, unknown>;

const ITEM_TOOLS = new Set([
  'modify_pending_order_items',
  'exchange_delivered_order_items',
  'return_delivered_order_items',
  'book_reservation',
  'update_reservation_flights',
  'update_reservation_baggages',
  'update_reservation_passengers',
  'send_certificate',
  'cancel_pending_order',
  'cancel_order',
  'modify_pending_order_address',
  'modify_user_address',
]);

/** Whether a kind can be injected into this ground-truth write (decided before the episode). */
export function applicable(kind: InjectionKind, a: Action): boolean {
  const k = toJs(a.kwargs) as Kw;
  if (kind === 'wrong_item') return ITEM_TOOLS.has(a.name);
  if (kind === 'wrong_payment') return 'payment_method_id' in k || 'payment_id' in k || 'payment_methods' in k;
  if (kind === 'wrong_user') return 'order_id' in k || 'reservation_id' in k || 'user_id' in k;
  return true;
}

/** Record ids of the world, for acting on another user's record. */
export interface RecordKeys {
  keys(table: string): readonly string[];
}

const CABINS = ['basic_economy', 'economy', 'business'];

/**
 * The ground-truth write with one argument made wrong, from what the agent has seen where it can
 * (another variant of the same product, another of the user's payment methods), else a plausible
 * value the tool will reject; either way the database cannot end as the ground truth's.
 */
export function mutate(kind: 'wrong_item' | 'wrong_payment' | 'wrong_user', a: Action, facts: Facts, rng: Rng, records: RecordKeys | undefined): { action: Action; detail: string } | undefined {
  const k = structuredClone(toJs(a.kwargs)) as Kw;
  const detail = ((): string | undefined => {
    if (kind === 'wrong_item') return wrongItem(a.name, k, facts, rng);
    if (kind === 'wrong_payment') return wrongPayment(k, facts, rng);
    return records ? wrongUser(k, facts, rng, records) : undefined;
  })();
  return detail === undefined ? undefined : { action: { name: a.name, kwargs: fromJs(k) as PyDict }, detail };
}

function wrongItem(name: string, k: Kw, facts: Facts, rng: Rng): string | undefined {
  const ids = (key: string): string[] => (Array.isArray(k[key]) ? (k[key] as unknown[]).map(String) : []);
  switch (name) {
    case 'modify_pending_order_items':
    case 'exchange_delivered_order_items': {
      const olds = ids('item_ids');
      const news = ids('new_item_ids');
      const product = facts.items.get(news[0] ?? '')?.productId;
      const others = product ? facts.variantsOf(product).filter((v) => v !== news[0] && v !== olds[0]) : [];
      if (!others.length) return undefined;
      const wrong = rng.pick(others);
      k.new_item_ids = [wrong, ...news.slice(1)];
      return `new item ${news[0]} → ${wrong}`;
    }
    case 'return_delivered_order_items': {
      const items = ids('item_ids');
      const rest = (facts.orderItems.get(String(k.order_id)) ?? []).filter((i) => !items.includes(i));
      if (rest.length) {
        const wrong = rng.pick(rest);
        k.item_ids = [wrong, ...items.slice(1)];
        return `returned item ${items[0]} → ${wrong}`;
      }
      if (items.length < 2) return undefined;
      k.item_ids = items.slice(0, -1);
      return `left out item ${items[items.length - 1]}`;
    }
    case 'book_reservation':
    case 'update_reservation_flights': {
      const wrong = rng.pick(CABINS.filter((c) => c !== k.cabin));
      const from = String(k.cabin);
      k.cabin = wrong;
      return `cabin ${from} → ${wrong}`;
    }
    case 'update_reservation_baggages':
      k.total_baggages = Number(k.total_baggages) + 1;
      k.nonfree_baggages = Number(k.nonfree_baggages) + 1;
      return 'one checked bag too many';
    case 'update_reservation_passengers': {
      const ps = Array.isArray(k.passengers) ? (k.passengers as Kw[]) : [];
      const p = ps[ps.length - 1];
      if (!p) return undefined;
      const dob = String(p.dob);
      p.dob = dob.slice(0, -1) + String((Number(dob.slice(-1)) + 1) % 10);
      return `passenger dob ${dob} → ${String(p.dob)}`;
    }
    case 'send_certificate':
      k.amount = Number(k.amount) + 100;
      return 'certificate $100 too high';
    case 'cancel_pending_order':
    case 'cancel_order': {
      const wrong = k.reason === 'no longer needed' ? 'ordered by mistake' : 'no longer needed';
      k.reason = wrong;
      return `reason → ${wrong}`;
    }
    default: {
      const zip = String(k.zip ?? '');
      if (!zip) return undefined;
      k.zip = zip.slice(0, -1) + String((Number(zip.slice(-1)) + 1) % 10);
      return `zip ${zip} → ${String(k.zip)}`;
    }
  }
}

function wrongPayment(k: Kw, facts: Facts, rng: Rng): string | undefined {
  const key = 'payment_method_id' in k ? 'payment_method_id' : 'payment_id' in k ? 'payment_id' : undefined;
  const slot = key ? { get: () => String(k[key]), set: (v: string) => (k[key] = v) } : bookingSlot(k);
  if (!slot) return undefined;
  const right = slot.get();
  const source = facts.payments.get(right)?.source ?? right.replace(/_\d+$/, '');
  const seen = [...facts.payments.keys()].filter((id) => id !== right);
  const otherKind = seen.filter((id) => facts.payments.get(id)?.source !== source);
  // No other method seen: one of another kind that does not exist (the tool rejects it).
  const wrong = otherKind.length ? rng.pick(otherKind) : seen.length ? rng.pick(seen) : `${source === 'paypal' ? 'gift_card' : 'paypal'}_${rng.digits(7)}`;
  slot.set(wrong);
  return `payment ${right} → ${wrong}`;
}

function bookingSlot(k: Kw): { get: () => string; set: (v: string) => void } | undefined {
  const first = Array.isArray(k.payment_methods) ? (k.payment_methods[0] as Kw | undefined) : undefined;
  return first ? { get: () => String(first.payment_id), set: (v) => (first.payment_id = v) } : undefined;
}

function wrongUser(k: Kw, facts: Facts, rng: Rng, records: RecordKeys): string | undefined {
  const swap = (key: string, table: string, avoid: (id: string) => boolean): string | undefined => {
    const right = String(k[key]);
    const pool = records.keys(table);
    for (let tries = 0; tries < 50 && pool.length > 1; tries++) {
      const id = rng.pick(pool);
      if (id !== right && !avoid(id)) {
        k[key] = id;
        return `${key} ${right} → ${id} (another user's)`;
      }
    }
    return undefined;
  };
  if ('order_id' in k) return swap('order_id', 'orders', (id) => facts.own.has(id) || facts.orderItems.has(id));
  if ('reservation_id' in k) return swap('reservation_id', 'reservations', (id) => facts.own.has(id) || facts.bags.has(id));
  return swap('user_id', 'users', () => false);
}
