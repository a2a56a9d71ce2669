import type { WorldData } from '../../domains/domain.ts';
import type { Action } from '../../dataset/task.ts';
import { isDict, type PyDict } from '../../py/value.ts';
import { act } from '../draft.ts';
import type { IdentityT, ItemRef, PaymentRef } from '../intent.ts';
import type { Rng } from '../prng.ts';
import { dicts, num, obj, str, strings } from '../record.ts';

/**
 * Read-only indexes over a retail world (generated or τ-bench's) that the task generator
 * queries, plus a ledger of gift-card money already committed by earlier requests of the same
 * task, so a multi-request task never overdraws a card.
 */
export class RetailView {
  readonly users: Map<string, PyDict>;
  readonly orders: Map<string, PyDict>;
  readonly products: Map<string, PyDict>;
  readonly userIds: string[];
  private readonly nameZipCount = new Map<string, number>();

  constructor(data: WorldData) {
    this.users = data.get('users') ?? new Map();
    this.orders = data.get('orders') ?? new Map();
    this.products = data.get('products') ?? new Map();
    this.userIds = [...this.users.keys()];
    for (const u of this.users.values()) {
      const k = nameZipKey(u);
      this.nameZipCount.set(k, (this.nameZipCount.get(k) ?? 0) + 1);
    }
  }

  user(id: string): PyDict {
    const u = this.users.get(id);
    if (!u) throw new Error(`no user ${id}`);
    return u;
  }

  /** The user's orders (in profile order) whose status is one of `statuses`. */
  ordersOf(userId: string, ...statuses: string[]): PyDict[] {
    return strings(this.user(userId), 'orders')
      .map((id) => this.orders.get(id))
      .filter((o): o is PyDict => o !== undefined && (statuses.length === 0 || statuses.includes(str(o, 'status'))));
  }

  variants(productId: string): PyDict[] {
    const p = this.products.get(productId);
    return p ? [...obj(p, 'variants').values()].filter(isDict) : [];
  }

  /** Available variants of an item's product other than the item itself. */
  alternatives(item: PyDict, exclude: readonly string[] = []): PyDict[] {
    return this.variants(str(item, 'product_id')).filter(
      (v) => v.get('available') === true && str(v, 'item_id') !== str(item, 'item_id') && !exclude.includes(str(v, 'item_id')),
    );
  }

  methods(userId: string): PyDict[] {
    return [...obj(this.user(userId), 'payment_methods').values()].filter(isDict);
  }

  /** How the user would name a payment method so it is unambiguous among their own. */
  paymentRef(userId: string, methodId: string): PaymentRef {
    const all = this.methods(userId);
    const m = all.find((x) => str(x, 'id') === methodId);
    if (!m) throw new Error(`user ${userId} has no method ${methodId}`);
    const source = str(m, 'source') as PaymentRef['source'];
    if (source === 'credit_card') {
      const last = str(m, 'last_four');
      const clash = all.filter((x) => x.get('last_four') === last).length > 1;
      return clash ? { source, last_four: last, id: methodId } : { source, last_four: last };
    }
    return all.filter((x) => str(x, 'source') === source).length > 1 ? { source, id: methodId } : { source };
  }

  /** How the user authenticates, and the look-up that finds their id. */
  identity(rng: Rng, userId: string): { identity: IdentityT; auth: Action[] } {
    const u = this.user(userId);
    const name = obj(u, 'name');
    const zip = str(obj(u, 'address'), 'zip');
    if (rng.chance(0.5) || (this.nameZipCount.get(nameZipKey(u)) ?? 0) > 1) {
      const email = str(u, 'email');
      return { identity: { method: 'email', email }, auth: [act('find_user_id_by_email', { email })] };
    }
    const first_name = str(name, 'first_name');
    const last_name = str(name, 'last_name');
    return {
      identity: { method: 'name_zip', first_name, last_name, zip },
      auth: [act('find_user_id_by_name_zip', { first_name, last_name, zip })],
    };
  }

  fullName(userId: string): string {
    const n = obj(this.user(userId), 'name');
    return `${str(n, 'first_name')} ${str(n, 'last_name')}`;
  }
}

function nameZipKey(u: PyDict): string {
  const n = obj(u, 'name');
  return `${str(n, 'first_name').toLowerCase()}|${str(n, 'last_name').toLowerCase()}|${str(obj(u, 'address'), 'zip')}`;
}

export function itemRef(item: PyDict): ItemRef {
  const options: Record<string, string> = {};
  for (const [k, v] of obj(item, 'options')) options[k] = String(v);
  return { product: str(item, 'name'), options };
}

export function optionsOf(variant: PyDict): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of obj(variant, 'options')) out[k] = String(v);
  return out;
}

export function orderItems(order: PyDict): PyDict[] {
  return dicts(order, 'items');
}

/** Items that appear once in the order (a duplicated item id cannot be named apart). */
export function distinctItems(order: PyDict): PyDict[] {
  const items = orderItems(order);
  const ids = items.map((i) => str(i, 'item_id'));
  const names = items.map((i) => str(i, 'name'));
  return items.filter((i) => ids.filter((x) => x === str(i, 'item_id')).length === 1 && names.filter((x) => x === str(i, 'name')).length === 1);
}

export function firstPayment(order: PyDict): { id: string; amount: number; type: string } {
  const p = dicts(order, 'payment_history')[0];
  if (!p) throw new Error('order without payment');
  return { id: str(p, 'payment_method_id'), amount: num(p, 'amount'), type: str(p, 'transaction_type') };
}
