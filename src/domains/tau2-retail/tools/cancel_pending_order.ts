import { valueError } from '../../../py/errors.ts';
import { add, eq, iterate, round } from '../../../py/ops.ts';
import { attr, construct, setAttr } from '../../../py/pydantic.ts';
import { dict, type PyValue } from '../../../py/value.ts';
import { arg, inStrs } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { extend } from '../../airline/python.ts';
import { OrderPayment } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { getOrder, getPaymentMethod, getUser, isGiftCard, type RetailCtx } from '../toolkit.ts';

/** Refunds every payment (gift cards at once, rounded to cents) and cancels the order. */
export const cancelPendingOrder = tau2Tool<RetailCtx>({
  name: 'cancel_pending_order',
  type: 'write',
  schema: SCHEMAS.cancel_pending_order,
  run(ctx, args) {
    const order = getOrder(ctx, arg(args, 'order_id'), true);
    if (!eq(attr(order, 'status'), 'pending')) throw valueError('Non-pending order cannot be cancelled');
    const reason = arg(args, 'reason');
    if (!inStrs(reason, ['no longer needed', 'ordered by mistake'])) throw valueError('Invalid reason');
    const refunds: PyValue[] = [];
    for (const payment of iterate(attr(order, 'payment_history'))) {
      const paymentId = attr(payment, 'payment_method_id');
      refunds.push(
        construct(OrderPayment, dict([['transaction_type', 'refund'], ['amount', attr(payment, 'amount')], ['payment_method_id', paymentId]])),
      );
      const user = getUser(ctx, attr(order, 'user_id'));
      const method = getPaymentMethod(ctx, attr(user, 'user_id'), paymentId, true);
      if (isGiftCard(method)) {
        method.set('balance', add(attr(method, 'balance'), attr(payment, 'amount')));
        method.set('balance', round(attr(method, 'balance'), 2));
      }
    }
    setAttr(order, 'status', 'cancelled');
    setAttr(order, 'cancel_reason', reason);
    extend(attr(order, 'payment_history'), refunds);
    return order;
  },
});
