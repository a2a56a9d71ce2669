import { eq, lower } from '../../../py/ops.ts';
import { attr } from '../../../py/pydantic.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import type { TelecomCtx } from '../toolkit.ts';

/** Every customer whose name matches case-insensitively and whose date of birth is `dob`. */
export const getCustomerByName = tau2Tool<TelecomCtx>({
  name: 'get_customer_by_name',
  type: 'read',
  schema: SCHEMAS.get_customer_by_name,
  run(ctx, args) {
    return ctx.db
      .collection('customers')
      .values()
      .filter((c) => lower(attr(c, 'full_name')) === lower(arg(args, 'full_name')) && eq(attr(c, 'date_of_birth'), arg(args, 'dob')));
  },
});
