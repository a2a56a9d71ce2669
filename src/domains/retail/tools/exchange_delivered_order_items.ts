import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { compare, dictHas, eq, getItem, round, sorted } from '../../../py/ops.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { dictAt, ORDER_ID, PAYMENT_METHOD_ID, paymentMethodsOf, signature } from './common.ts';
import { priceDifference } from './item_changes.ts';

export const exchangeDeliveredOrderItems: Tool = {
  name: 'exchange_delivered_order_items',
  description:
    'Exchange items in a delivered order to new items of the same product type. For a delivered order, return or exchange can be only done once by the agent. The agent needs to explain the exchange detail and ask for explicit user confirmation (yes/no) to proceed.',
  kind: 'write',
  schema: z.object({
    order_id: ORDER_ID,
    item_ids: z
      .array(z.string())
      .describe("The item ids to be exchanged, each such as '1008292230'. There could be duplicate items in the list."),
    new_item_ids: z
      .array(z.string())
      .describe(
        "The item ids to be exchanged for, each such as '1008292230'. There could be duplicate items in the list. Each new item id should match the item id in the same position and be of the same product.",
      ),
    payment_method_id: PAYMENT_METHOD_ID,
  }),
  py: signature('exchange_delivered_order_items', 'ExchangeDeliveredOrderItems', [
    'order_id',
    'item_ids',
    'new_item_ids',
    'payment_method_id',
  ]),
  run(world, { order_id, item_ids, new_item_ids, payment_method_id }) {
    const orders = world.table('orders');
    if (!orders.has(order_id)) return 'Error: order not found';
    const order = orders.get(order_id);
    if (!eq(getItem(order, 'status'), 'delivered')) return 'Error: non-delivered order cannot be exchanged';

    const priced = priceDifference(world, order, item_ids, new_item_ids);
    if ('error' in priced) return priced.error;
    // Rounded here (unlike modify_pending_order_items): the int 0 for empty lists, 0.0 when prices cancel.
    const diff = round(priced.diff, 2);

    const methods = paymentMethodsOf(world, order);
    if (!dictHas(methods, payment_method_id)) return 'Error: payment method not found';
    const method = dictAt(methods, payment_method_id!);
    if (eq(getItem(method, 'source'), 'gift_card') && compare('<', getItem(method, 'balance'), diff)) {
      return 'Error: insufficient gift card balance to pay for the price difference';
    }

    order.set('status', 'exchange requested');
    order.set('exchange_items', sorted(item_ids));
    order.set('exchange_new_items', sorted(new_item_ids));
    order.set('exchange_payment_method_id', payment_method_id!);
    order.set('exchange_price_difference', diff);
    return dumps(order);
  },
};
