import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getCustomerByPhone, type TelecomCtx } from '../toolkit.ts';

export const getCustomerByPhoneTool = tau2Tool<TelecomCtx>({
  name: 'get_customer_by_phone',
  type: 'read',
  schema: SCHEMAS.get_customer_by_phone,
  run: (ctx, args) => getCustomerByPhone(ctx, arg(args, 'phone_number')),
});
