import { valueError } from '../../../py/errors.ts';
import { eq, lower } from '../../../py/ops.ts';
import { attr } from '../../../py/pydantic.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import type { RetailCtx } from '../toolkit.ts';

export const findUserIdByNameZip = tau2Tool<RetailCtx>({
  name: 'find_user_id_by_name_zip',
  type: 'read',
  schema: SCHEMAS.find_user_id_by_name_zip,
  run(ctx, args) {
    const users = ctx.db.collection('users');
    for (const userId of users.keys()) {
      const user = users.get(userId)!;
      const name = attr(user, 'name');
      if (
        lower(attr(name, 'first_name')) === lower(arg(args, 'first_name')) &&
        lower(attr(name, 'last_name')) === lower(arg(args, 'last_name')) &&
        eq(attr(attr(user, 'address'), 'zip'), arg(args, 'zip'))
      ) {
        return userId;
      }
    }
    throw valueError('User not found');
  },
});
