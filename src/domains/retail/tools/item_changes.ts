/**
 * The checks `modify_pending_order_items` and `exchange_delivered_order_items` share, with
 * τ-bench's evaluation order: every old item must be in the order as often as it is listed,
 * the lists must be as long as each other, and each new item must be an available variant of
 * the old item's product. Returns an error observation, or the summed price difference.
 */
import { add, count, dictHas, eq, getItem, iterate, len, sub, truthy } from '../../../py/ops.ts';
import { pyStr } from '../../../py/repr.ts';
import type { PyDict, PyValue } from '../../../py/value.ts';
import type { World } from '../../../sandbox/world.ts';
import { dictAt, listAt } from './common.ts';

export type PriceDifference = { error: string } | { diff: PyValue };

/** `[item for item in order["items"] if item["item_id"] == item_id][0]`. */
export function firstItem(order: PyDict, itemId: PyValue): PyDict {
  for (const item of listAt(order, 'items')) {
    if (eq(getItem(item, 'item_id'), itemId)) return item as PyDict;
  }
  throw new Error('item vanished after its presence was checked');
}

/** `zip(a, b)` over two iterables. */
export function zipPairs(a: PyValue | undefined, b: PyValue | undefined): [PyValue, PyValue][] {
  const xs = iterate(a);
  const ys = iterate(b);
  const n = Math.min(xs.length, ys.length);
  const out: [PyValue, PyValue][] = [];
  for (let i = 0; i < n; i++) out.push([xs[i]!, ys[i]!]);
  return out;
}

/** The first listed item the order lacks (as many times as listed), as `Error: … not found` text's subject. */
export function missingItem(order: PyDict, itemIds: PyValue | undefined): PyValue | undefined {
  const all = listAt(order, 'items').map((item) => getItem(item, 'item_id'));
  for (const id of iterate(itemIds)) {
    if (count(itemIds, id) > count(all, id)) return id;
  }
  return undefined;
}

export function priceDifference(
  world: World,
  order: PyDict,
  itemIds: PyValue | undefined,
  newItemIds: PyValue | undefined,
): PriceDifference {
  const missing = missingItem(order, itemIds);
  if (missing !== undefined) return { error: `Error: ${pyStr(missing)} not found` };
  if (len(itemIds) !== len(newItemIds)) return { error: 'Error: the number of items to be exchanged should match' };

  const products = world.table('products');
  let diff: PyValue = 0;
  for (const [itemId, newItemId] of zipPairs(itemIds, newItemIds)) {
    const item = firstItem(order, itemId);
    const variants = dictAt(products.get(getItem(item, 'product_id')), 'variants');
    if (!(dictHas(variants, newItemId) && truthy(getItem(getItem(variants, newItemId), 'available')))) {
      return { error: `Error: new item ${pyStr(newItemId)} not found or available` };
    }
    diff = add(diff, sub(getItem(getItem(variants, newItemId), 'price'), getItem(item, 'price')));
  }
  return { diff };
}
