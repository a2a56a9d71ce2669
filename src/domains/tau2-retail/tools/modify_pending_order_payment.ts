import { valueError } from '../../../py/errors.ts';
import { add, compare, contains, eq, getItem, len, round, sub } from '../../../py/ops.ts';
import { attr, construct } from '../../../py/pydantic.ts';
import { dict } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { extend } from '../../airline/python.ts';
import { OrderPayment } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { getOrder, getPaymentMethod, isGiftCard, type RetailCtx } from '../toolkit.ts';

export const modifyPendingOrderPayment = tau2Tool<RetailCtx>({
  name: 'modify_pending_order_payment',
  type: 'write',
  schema: SCHEMAS.modify_pending_order_payment,
  run(ctx, args) {
    const order = getOrder(ctx, arg(args, 'order_id'), true);
    if (!contains(attr(order, 'status'), 'pending')) throw valueError('Non-pending order cannot be modified');
    const paymentMethodId = arg(args, 'payment_method_id');
    const userId = attr(order, 'user_id');
    const method = getPaymentMethod(ctx, userId, paymentMethodId, true);
    const history = attr(order, 'payment_history');
    if (len(history) !== 1 || !eq(attr(getItem(history, 0), 'transaction_type'), 'payment')) {
      throw valueError('There should be exactly one payment for a pending order');
    }
    const first = getItem(history, 0);
    if (eq(attr(first, 'payment_method_id'), paymentMethodId)) throw valueError('The new payment method should be different from the current one');
    const amount = attr(first, 'amount');
    if (isGiftCard(method) && compare('<', attr(method, 'balance'), amount)) throw valueError('Insufficient gift card balance to pay for the order');
    extend(history, [
      construct(OrderPayment, dict([['transaction_type', 'payment'], ['amount', amount], ['payment_method_id', paymentMethodId]])),
      construct(OrderPayment, dict([['transaction_type', 'refund'], ['amount', amount], ['payment_method_id', attr(first, 'payment_method_id')]])),
    ]);
    if (isGiftCard(method)) {
      method.set('balance', sub(attr(method, 'balance'), amount));
      method.set('balance', round(attr(method, 'balance'), 2));
    }
    const old = getPaymentMethod(ctx, userId, attr(first, 'payment_method_id'), true);
    if (isGiftCard(old)) {
      old.set('balance', add(attr(old, 'balance'), amount));
      old.set('balance', round(attr(old, 'balance'), 2));
    }
    return order;
  },
});
