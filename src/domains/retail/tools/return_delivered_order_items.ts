import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { contains, dictHas, eq, getItem, sorted } from '../../../py/ops.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { listAt, ORDER_ID, PAYMENT_METHOD_ID, paymentMethodsOf, signature } from './common.ts';
import { missingItem } from './item_changes.ts';

export const returnDeliveredOrderItems: Tool = {
  name: 'return_delivered_order_items',
  description:
    "Return some items of a delivered order. The order status will be changed to 'return requested'. The agent needs to explain the return detail and ask for explicit user confirmation (yes/no) to proceed. The user will receive follow-up email for how and where to return the item.",
  kind: 'write',
  schema: z.object({
    order_id: ORDER_ID,
    item_ids: z
      .array(z.string())
      .describe("The item ids to be returned, each such as '1008292230'. There could be duplicate items in the list."),
    payment_method_id: PAYMENT_METHOD_ID,
  }),
  py: signature('return_delivered_order_items', 'ReturnDeliveredOrderItems', ['order_id', 'item_ids', 'payment_method_id']),
  run(world, { order_id, item_ids, payment_method_id }) {
    const orders = world.table('orders');
    if (!orders.has(order_id)) return 'Error: order not found';
    const order = orders.get(order_id);
    if (!eq(getItem(order, 'status'), 'delivered')) return 'Error: non-delivered order cannot be returned';

    if (!dictHas(paymentMethodsOf(world, order), payment_method_id)) return 'Error: payment method not found';
    const original = getItem(getItem(listAt(order, 'payment_history'), 0), 'payment_method_id');
    if (!contains(payment_method_id, 'gift_card') && !eq(payment_method_id, original)) {
      return 'Error: payment method should be either the original payment method or a gift card';
    }
    if (missingItem(order, item_ids) !== undefined) return 'Error: some item not found';

    order.set('status', 'return requested');
    order.set('return_items', sorted(item_ids));
    order.set('return_payment_method_id', payment_method_id!);
    return dumps(order);
  },
};
