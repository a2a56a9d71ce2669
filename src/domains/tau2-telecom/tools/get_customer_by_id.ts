import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getCustomerById, type TelecomCtx } from '../toolkit.ts';

export const getCustomerByIdTool = tau2Tool<TelecomCtx>({
  name: 'get_customer_by_id',
  type: 'read',
  schema: SCHEMAS.get_customer_by_id,
  run: (ctx, args) => getCustomerById(ctx, arg(args, 'customer_id')),
});
