import { valueError } from '../../../py/errors.ts';
import { abs, add, compare, eq, iterate, len, round, sub, truthy } from '../../../py/ops.ts';
import { attr, construct, setAttr } from '../../../py/pydantic.ts';
import { dict, type PyDict, type PyValue } from '../../../py/value.ts';
import { arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { append } from '../../airline/python.ts';
import { OrderPayment } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { checkItemCounts, findItem, getOrder, getPaymentMethod, getVariant, isGiftCard, type RetailCtx } from '../toolkit.ts';

/**
 * Upstream quirk kept: every modified item takes the price and options of the *last* new item
 * checked (the loop variable `variant` outlives its loop).
 */
export const modifyPendingOrderItems = tau2Tool<RetailCtx>({
  name: 'modify_pending_order_items',
  type: 'write',
  schema: SCHEMAS.modify_pending_order_items,
  run(ctx, args) {
    const order = getOrder(ctx, arg(args, 'order_id'), true);
    if (!eq(attr(order, 'status'), 'pending')) throw valueError('Non-pending order cannot be modified');
    const itemIds = arg(args, 'item_ids');
    const newItemIds = arg(args, 'new_item_ids');
    checkItemCounts(order, itemIds, (id) => valueError(`${fstr(id)} not found`));
    if (len(itemIds) !== len(newItemIds)) throw valueError('The number of items to be exchanged should match');
    const olds = iterate(itemIds);
    const news = iterate(newItemIds);
    const pairs = olds.slice(0, news.length).map((o, i) => [o, news[i]!] as const);
    let diff: PyValue = 0;
    let variant: PyDict | undefined;
    for (const [itemId, newItemId] of pairs) {
      if (eq(itemId, newItemId)) throw valueError('The new item id should be different from the old item id');
      const item = findItem(order, itemId, eq);
      if (item === undefined) throw valueError(`Item ${fstr(itemId)} not found`);
      variant = getVariant(ctx, attr(item, 'product_id'), newItemId);
      if (!truthy(attr(variant, 'available'))) throw valueError(`New item ${fstr(newItemId)} not found or available`);
      diff = add(diff, sub(attr(variant, 'price'), attr(item, 'price')));
    }
    const paymentMethodId = arg(args, 'payment_method_id');
    const method = getPaymentMethod(ctx, attr(order, 'user_id'), paymentMethodId, true);
    if (isGiftCard(method) && compare('<', attr(method, 'balance'), diff)) throw valueError('Insufficient gift card balance to pay for the new item');
    append(
      attr(order, 'payment_history'),
      construct(
        OrderPayment,
        dict([
          ['transaction_type', compare('>', diff, 0) ? 'payment' : 'refund'],
          ['amount', abs(diff)],
          ['payment_method_id', paymentMethodId],
        ]),
      ),
    );
    if (isGiftCard(method)) {
      method.set('balance', sub(attr(method, 'balance'), diff));
      method.set('balance', round(attr(method, 'balance'), 2));
    }
    for (const [itemId, newItemId] of pairs) {
      const item = findItem(order, itemId, eq);
      if (item === undefined) throw valueError(`Item ${fstr(itemId)} not found`);
      setAttr(item, 'item_id', newItemId);
      setAttr(item, 'price', attr(variant!, 'price'));
      setAttr(item, 'options', attr(variant!, 'options'));
    }
    setAttr(order, 'status', 'pending (item modified)');
    return order;
  },
});
