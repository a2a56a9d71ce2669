import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { add, compare, contains, dictHas, eq, getItem, len, round, sub } from '../../../py/ops.ts';
import { dict } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { dictAt, listAt, ORDER_ID, PAYMENT_METHOD_ID, paymentMethodsOf, signature } from './common.ts';

export const modifyPendingOrderPayment: Tool = {
  name: 'modify_pending_order_payment',
  description:
    'Modify the payment method of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  kind: 'write',
  schema: z.object({ order_id: ORDER_ID, payment_method_id: PAYMENT_METHOD_ID }),
  py: signature('modify_pending_order_payment', 'ModifyPendingOrderPayment', ['order_id', 'payment_method_id']),
  run(world, { order_id, payment_method_id }) {
    const orders = world.table('orders');
    if (!orders.has(order_id)) return 'Error: order not found';
    const order = orders.get(order_id);
    if (!eq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be modified';

    const methods = paymentMethodsOf(world, order);
    if (!dictHas(methods, payment_method_id)) return 'Error: payment method not found';
    const history = listAt(order, 'payment_history');
    if (len(history) > 1 || !eq(getItem(getItem(history, 0), 'transaction_type'), 'payment')) {
      return 'Error: there should be exactly one payment for a pending order';
    }
    const first = getItem(history, 0);
    if (eq(getItem(first, 'payment_method_id'), payment_method_id)) {
      return 'Error: the new payment method should be different from the current one';
    }

    const amount = getItem(first, 'amount');
    const method = dictAt(methods, payment_method_id!);
    if (eq(getItem(method, 'source'), 'gift_card') && compare('<', getItem(method, 'balance'), amount)) {
      return 'Error: insufficient gift card balance to pay for the order';
    }

    const oldId = getItem(first, 'payment_method_id');
    history.push(
      dict([['transaction_type', 'payment'], ['amount', amount], ['payment_method_id', payment_method_id!]]),
      dict([['transaction_type', 'refund'], ['amount', amount], ['payment_method_id', oldId]]),
    );
    if (eq(getItem(method, 'source'), 'gift_card')) {
      method.set('balance', round(sub(getItem(method, 'balance'), amount), 2));
    }
    // A refund to a gift card lands at once.
    if (contains(oldId, 'gift_card')) {
      const old = dictAt(methods, oldId);
      old.set('balance', round(add(getItem(old, 'balance'), amount), 2));
    }
    return dumps(order);
  },
};
