import { z } from 'zod';
import { add, contains, eq, getItem, round } from '../../../py/ops.ts';
import { dumps } from '../../../py/dumps.ts';
import { dict, type PyDict } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { dictAt, listAt, ORDER_ID, paymentMethodsOf, signature } from './common.ts';

const REASONS = ['no longer needed', 'ordered by mistake'];

export const cancelPendingOrder: Tool = {
  name: 'cancel_pending_order',
  description:
    "Cancel a pending order. If the order is already processed or delivered, it cannot be cancelled. The agent needs to explain the cancellation detail and ask for explicit user confirmation (yes/no) to proceed. If the user confirms, the order status will be changed to 'cancelled' and the payment will be refunded. The refund will be added to the user's gift card balance immediately if the payment was made using a gift card, otherwise the refund would take 5-7 business days to process. The function returns the order details after the cancellation.",
  kind: 'write',
  schema: z.object({
    order_id: ORDER_ID,
    reason: z
      .enum(['no longer needed', 'ordered by mistake'])
      .describe("The reason for cancellation, which should be either 'no longer needed' or 'ordered by mistake'."),
  }),
  py: signature('cancel_pending_order', 'CancelPendingOrder', ['order_id', 'reason']),
  run(world, { order_id, reason }) {
    const orders = world.table('orders');
    if (!orders.has(order_id)) return 'Error: order not found';
    const order = orders.get(order_id);
    if (!eq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be cancelled';
    if (!contains(REASONS, reason)) return 'Error: invalid reason';

    const history = listAt(order, 'payment_history');
    const refunds: PyDict[] = [];
    for (const payment of history) {
      const paymentId = getItem(payment, 'payment_method_id');
      const amount = getItem(payment, 'amount');
      refunds.push(dict([['transaction_type', 'refund'], ['amount', amount], ['payment_method_id', paymentId]]));
      // A gift card is refunded at once; other methods take days and are not modelled.
      if (contains(paymentId, 'gift_card')) {
        const method = dictAt(paymentMethodsOf(world, order), paymentId);
        method.set('balance', round(add(getItem(method, 'balance'), amount), 2));
      }
    }
    order.set('status', 'cancelled');
    order.set('cancel_reason', reason!);
    history.push(...refunds);
    return dumps(order);
  },
};
