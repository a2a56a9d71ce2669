import { valueError } from '../../../py/errors.ts';
import { add, compare, eq, iterate, len, round, sorted, sub, truthy } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import type { PyValue } from '../../../py/value.ts';
import { arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { checkItemCounts, findItem, getOrder, getPaymentMethod, getVariant, isGiftCard, type RetailCtx } from '../toolkit.ts';

export const exchangeDeliveredOrderItems = tau2Tool<RetailCtx>({
  name: 'exchange_delivered_order_items',
  type: 'write',
  schema: SCHEMAS.exchange_delivered_order_items,
  run(ctx, args) {
    const order = getOrder(ctx, arg(args, 'order_id'), true);
    if (!eq(attr(order, 'status'), 'delivered')) throw valueError('Non-delivered order cannot be exchanged');
    const itemIds = arg(args, 'item_ids');
    const newItemIds = arg(args, 'new_item_ids');
    checkItemCounts(order, itemIds, (id) => valueError(`Number of ${fstr(id)} not found.`));
    if (len(itemIds) !== len(newItemIds)) throw valueError('The number of items to be exchanged should match.');
    let diff: PyValue = 0;
    const news = iterate(newItemIds);
    iterate(itemIds).forEach((itemId, i) => {
      if (i >= news.length) return;
      const item = findItem(order, itemId, eq);
      if (item === undefined) throw valueError(`Item ${fstr(itemId)} not found`);
      const variant = getVariant(ctx, attr(item, 'product_id'), news[i]!);
      if (!truthy(attr(variant, 'available'))) throw valueError(`New item ${fstr(news[i])} not found or available`);
      diff = add(diff, sub(attr(variant, 'price'), attr(item, 'price')));
    });
    diff = round(diff, 2);
    const paymentMethodId = arg(args, 'payment_method_id');
    const method = getPaymentMethod(ctx, attr(order, 'user_id'), paymentMethodId);
    if (isGiftCard(method) && compare('<', attr(method, 'balance'), diff)) {
      throw valueError('Insufficient gift card balance to pay for the price difference');
    }
    setAttr(order, 'status', 'exchange requested');
    setAttr(order, 'exchange_items', sorted(itemIds));
    setAttr(order, 'exchange_new_items', sorted(newItemIds));
    setAttr(order, 'exchange_payment_method_id', paymentMethodId);
    setAttr(order, 'exchange_price_difference', diff);
    return order;
  },
});
