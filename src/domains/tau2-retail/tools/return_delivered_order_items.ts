import { valueError } from '../../../py/errors.ts';
import { eq, getItem, sorted } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { checkItemCounts, getOrder, getPaymentMethod, getUser, isGiftCard, type RetailCtx } from '../toolkit.ts';

export const returnDeliveredOrderItems = tau2Tool<RetailCtx>({
  name: 'return_delivered_order_items',
  type: 'write',
  schema: SCHEMAS.return_delivered_order_items,
  run(ctx, args) {
    const order = getOrder(ctx, arg(args, 'order_id'), true);
    if (!eq(attr(order, 'status'), 'delivered')) throw valueError('Non-delivered order cannot be returned');
    const user = getUser(ctx, attr(order, 'user_id'));
    const paymentMethodId = arg(args, 'payment_method_id');
    const method = getPaymentMethod(ctx, attr(user, 'user_id'), paymentMethodId);
    if (!isGiftCard(method) && !eq(paymentMethodId, attr(getItem(attr(order, 'payment_history'), 0), 'payment_method_id'))) {
      throw valueError('Payment method should be the original payment method');
    }
    const itemIds = arg(args, 'item_ids');
    checkItemCounts(order, itemIds, () => valueError('Some item not found'));
    setAttr(order, 'status', 'return requested');
    setAttr(order, 'return_items', sorted(itemIds));
    setAttr(order, 'return_payment_method_id', paymentMethodId);
    return order;
  },
});
