import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getOrder, type RetailCtx } from '../toolkit.ts';

export const getOrderDetails = tau2Tool<RetailCtx>({
  name: 'get_order_details',
  type: 'read',
  schema: SCHEMAS.get_order_details,
  run: (ctx, args) => getOrder(ctx, arg(args, 'order_id')),
});
