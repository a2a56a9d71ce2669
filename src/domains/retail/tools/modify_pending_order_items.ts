import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { abs, compare, dictHas, eq, getItem, round, sub } from '../../../py/ops.ts';
import { deepCopy, dict } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { dictAt, listAt, ORDER_ID, PAYMENT_METHOD_ID, paymentMethodsOf, signature } from './common.ts';
import { firstItem, priceDifference, zipPairs } from './item_changes.ts';

export const modifyPendingOrderItems: Tool = {
  name: 'modify_pending_order_items',
  description:
    'Modify items in a pending order to new items of the same product type. For a pending order, this function can only be called once. The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.',
  kind: 'write',
  schema: z.object({
    order_id: ORDER_ID,
    item_ids: z
      .array(z.string())
      .describe("The item ids to be modified, each such as '1008292230'. There could be duplicate items in the list."),
    new_item_ids: z
      .array(z.string())
      .describe(
        "The item ids to be modified for, each such as '1008292230'. There could be duplicate items in the list. Each new item id should match the item id in the same position and be of the same product.",
      ),
    payment_method_id: PAYMENT_METHOD_ID,
  }),
  py: signature('modify_pending_order_items', 'ModifyPendingOrderItems', [
    'order_id',
    'item_ids',
    'new_item_ids',
    'payment_method_id',
  ]),
  run(world, { order_id, item_ids, new_item_ids, payment_method_id }) {
    const orders = world.table('orders');
    if (!orders.has(order_id)) return 'Error: order not found';
    const order = orders.get(order_id);
    if (!eq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be modified';

    const priced = priceDifference(world, order, item_ids, new_item_ids);
    if ('error' in priced) return priced.error;
    const diff = priced.diff;

    const methods = paymentMethodsOf(world, order);
    if (!dictHas(methods, payment_method_id)) return 'Error: payment method not found';
    const method = dictAt(methods, payment_method_id!);
    const giftCard = eq(getItem(method, 'source'), 'gift_card');
    if (giftCard && compare('<', getItem(method, 'balance'), diff)) {
      return 'Error: insufficient gift card balance to pay for the new item';
    }

    // The difference is stored unrounded, and a zero difference is still a "refund" of 0.
    listAt(order, 'payment_history').push(
      dict([
        ['transaction_type', compare('>', diff, 0) ? 'payment' : 'refund'],
        ['amount', abs(diff)],
        ['payment_method_id', payment_method_id!],
      ]),
    );
    if (giftCard) method.set('balance', round(sub(getItem(method, 'balance'), diff), 2));

    const products = world.table('products');
    for (const [itemId, newItemId] of zipPairs(item_ids, new_item_ids)) {
      const item = firstItem(order, itemId);
      const variant = getItem(dictAt(products.get(getItem(item, 'product_id')), 'variants'), newItemId);
      item.set('item_id', newItemId);
      item.set('price', getItem(variant, 'price'));
      item.set('options', deepCopy(getItem(variant, 'options')));
    }
    order.set('status', 'pending (item modified)');
    return dumps(order);
  },
};
