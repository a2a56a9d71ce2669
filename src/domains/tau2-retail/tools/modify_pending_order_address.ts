import { valueError } from '../../../py/errors.ts';
import { contains } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getOrder, type RetailCtx } from '../toolkit.ts';
import { addressOf } from './address.ts';

export const modifyPendingOrderAddress = tau2Tool<RetailCtx>({
  name: 'modify_pending_order_address',
  type: 'write',
  schema: SCHEMAS.modify_pending_order_address,
  run(ctx, args) {
    const order = getOrder(ctx, arg(args, 'order_id'), true);
    if (!contains(attr(order, 'status'), 'pending')) throw valueError('Non-pending order cannot be modified');
    setAttr(order, 'address', addressOf(args));
    return order;
  },
});
