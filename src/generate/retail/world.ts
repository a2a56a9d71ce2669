import type { WorldData } from '../../domains/domain.ts';
import { deepCopy, dict, pyFloat, type PyDict, type PyValue } from '../../py/value.ts';
import { makeAddress, makeCard, makePerson } from '../people.ts';
import { IdPool, Rng } from '../prng.ts';
import { cents, dicts, num, obj, str } from '../record.ts';
import { CATALOG, type ProductType } from './catalog.ts';

export interface RetailWorldOptions {
  users: number;
  orders: number;
  products: number;
}

/** τ-bench's retail world size. */
export const RETAIL_DEFAULTS: RetailWorldOptions = { users: 500, orders: 1000, products: 50 };

/** Order statuses and how often they occur (the last three are states our own tools produce). */
const STATUS_WEIGHTS: readonly (readonly [string, number])[] = [
  ['pending', 38],
  ['delivered', 33],
  ['processed', 10],
  ['cancelled', 10],
  ['pending (item modified)', 3],
  ['return requested', 3],
  ['exchange requested', 3],
];

/**
 * A retail world in τ-bench's record shapes (`users`, `orders`, `products`), a pure function of
 * the seed and sizes. Prices are floats as in τ-bench; gift-card balances are mostly ints with
 * some cents, as balances become after refunds.
 */
export function generateRetailWorld(seed: string | number, opts: Partial<RetailWorldOptions> = {}): WorldData {
  const o = { ...RETAIL_DEFAULTS, ...opts };
  const rng = new Rng(`retail-world/${String(seed)}`);
  const ids = new IdPool(rng.fork('ids'));
  const products = makeProducts(rng.fork('products'), ids, o.products);
  const users = makeUsers(rng.fork('users'), ids, o.users);
  const orders = makeOrders(rng.fork('orders'), ids, o.orders, users, [...products.values()]);
  return new Map([
    ['users', users],
    ['orders', orders],
    ['products', products],
  ]);
}

function productTypes(n: number): { type: ProductType; name: string }[] {
  const out: { type: ProductType; name: string }[] = [];
  for (let i = 0; i < n; i++) {
    const type = CATALOG[i % CATALOG.length]!;
    const series = Math.floor(i / CATALOG.length);
    out.push({ type, name: series === 0 ? type.name : `${type.name} Series ${series + 1}` });
  }
  return out;
}

function makeProducts(rng: Rng, ids: IdPool, n: number): Map<string, PyDict> {
  const products = new Map<string, PyDict>();
  for (const { type, name } of productTypes(n)) {
    const productId = ids.next((r) => r.digits(10));
    const dims = Object.entries(type.options);
    const combos = dims.reduce((acc, [, vals]) => acc * vals.length, 1);
    const want = Math.min(combos, rng.int(5, 20));
    const seen = new Set<string>();
    const variants: PyDict = new Map();
    while (variants.size < want) {
      const options = dict(dims.map(([k, vals]) => [k, rng.pick(vals)] as const));
      const sig = [...options.values()].join('|');
      if (seen.has(sig)) continue;
      seen.add(sig);
      const itemId = ids.next((r) => r.digits(10));
      const price = cents(type.price[0] + rng.float() * (type.price[1] - type.price[0]));
      variants.set(
        itemId,
        dict([
          ['item_id', itemId],
          ['options', options],
          ['available', rng.chance(0.8)],
          ['price', pyFloat(price)],
        ]),
      );
    }
    products.set(productId, dict([['name', name], ['product_id', productId], ['variants', variants]]));
  }
  return products;
}

function makeUsers(rng: Rng, ids: IdPool, n: number): Map<string, PyDict> {
  const users = new Map<string, PyDict>();
  const taken = new Set<string>();
  for (let i = 0; i < n; i++) {
    const p = makePerson(rng, taken);
    const methods: PyDict = new Map();
    const kinds = rng.sample(['credit_card', 'paypal', 'gift_card'] as const, rng.weighted([[1, 40], [2, 45], [3, 15]] as const));
    for (const kind of kinds) {
      const id = ids.next((r) => `${kind}_${r.digits(7)}`);
      if (kind === 'credit_card') methods.set(id, makeCard(rng, id));
      else if (kind === 'paypal') methods.set(id, dict([['source', 'paypal'], ['id', id]]));
      else {
        const balance: PyValue = rng.chance(0.75) ? rng.int(0, 200) : pyFloat(cents(rng.int(0, 199) + rng.int(1, 99) / 100));
        methods.set(id, dict([['source', 'gift_card'], ['balance', balance], ['id', id]]));
      }
    }
    users.set(
      p.userId,
      dict([
        ['name', dict([['first_name', p.first], ['last_name', p.last]])],
        ['address', makeAddress(rng)],
        ['email', p.email],
        ['payment_methods', methods],
        ['orders', []],
      ]),
    );
  }
  return users;
}

function orderItem(product: PyDict, variant: PyDict): PyDict {
  return dict([
    ['name', str(product, 'name')],
    ['product_id', str(product, 'product_id')],
    ['item_id', str(variant, 'item_id')],
    ['price', variant.get('price') ?? null],
    ['options', deepCopy(obj(variant, 'options'))],
  ]);
}

function payment(type: string, amount: number, methodId: string): PyDict {
  return dict([['transaction_type', type], ['amount', pyFloat(amount)], ['payment_method_id', methodId]]);
}

function makeOrders(rng: Rng, ids: IdPool, n: number, users: Map<string, PyDict>, products: PyDict[]): Map<string, PyDict> {
  const orders = new Map<string, PyDict>();
  const userIds = [...users.keys()];
  if (userIds.length === 0 || products.length === 0) return orders;
  for (let i = 0; i < n; i++) {
    const orderId = ids.next((r) => `#W${r.digits(7)}`);
    const userId = rng.pick(userIds);
    const user = users.get(userId)!;
    const status = rng.weighted(STATUS_WEIGHTS);
    const chosen = rng.sample(products, rng.int(1, Math.min(5, products.length)));
    const items = chosen.map((p) => orderItem(p, rng.pick([...obj(p, 'variants').values()].filter(isVariant))));
    const total = cents(items.reduce((s, it) => s + num(it, 'price'), 0));
    const methodId = rng.pick([...obj(user, 'payment_methods').keys()]);
    const history: PyDict[] = [payment('payment', total, methodId)];
    const itemIds = items.map((it) => str(it, 'item_id'));
    const shipped = !status.startsWith('pending');
    const order = dict([
      ['order_id', orderId],
      ['user_id', userId],
      ['address', rng.chance(0.85) ? deepCopy(obj(user, 'address')) : makeAddress(rng)],
      ['items', items],
      ['fulfillments', shipped ? [dict([['tracking_id', [rng.digits(12)]], ['item_ids', [...itemIds]]])] : []],
      ['status', status],
      ['payment_history', history],
    ]);
    if (status === 'cancelled') history.push(payment('refund', total, methodId));
    if (status === 'pending (item modified)') modifyOneItem(rng, order, products, history, methodId);
    if (status === 'return requested') {
      order.set('return_items', rng.sample(itemIds, rng.int(1, itemIds.length)).sort());
      order.set('return_payment_method_id', methodId);
    }
    if (status === 'exchange requested') exchangeOneItem(rng, order, products, methodId);
    orders.set(orderId, order);
    (user.get('orders') as PyValue[]).push(orderId);
  }
  return orders;
}

function isVariant(v: PyValue): v is PyDict {
  return v instanceof Map;
}

function otherVariant(rng: Rng, products: PyDict[], item: PyDict): PyDict | undefined {
  const product = products.find((p) => str(p, 'product_id') === str(item, 'product_id'));
  if (!product) return undefined;
  const others = [...obj(product, 'variants').values()].filter(isVariant).filter((v) => str(v, 'item_id') !== str(item, 'item_id'));
  return others.length ? rng.pick(others) : undefined;
}

function modifyOneItem(rng: Rng, order: PyDict, products: PyDict[], history: PyDict[], methodId: string): void {
  const item = rng.pick(dicts(order, 'items'));
  const v = otherVariant(rng, products, item);
  if (!v) return;
  const diff = cents(num(v, 'price') - num(item, 'price'));
  history.push(payment(diff > 0 ? 'payment' : 'refund', Math.abs(diff), methodId));
  item.set('item_id', str(v, 'item_id'));
  item.set('price', v.get('price') ?? null);
  item.set('options', deepCopy(obj(v, 'options')));
}

function exchangeOneItem(rng: Rng, order: PyDict, products: PyDict[], methodId: string): void {
  const item = rng.pick(dicts(order, 'items'));
  const v = otherVariant(rng, products, item);
  if (!v) {
    order.set('status', 'delivered');
    return;
  }
  order.set('exchange_items', [str(item, 'item_id')]);
  order.set('exchange_new_items', [str(v, 'item_id')]);
  order.set('exchange_payment_method_id', methodId);
  order.set('exchange_price_difference', pyFloat(cents(num(v, 'price') - num(item, 'price'))));
}
