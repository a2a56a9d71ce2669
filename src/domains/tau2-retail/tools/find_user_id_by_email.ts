import { valueError } from '../../../py/errors.ts';
import { lower } from '../../../py/ops.ts';
import { attr } from '../../../py/pydantic.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import type { RetailCtx } from '../toolkit.ts';

export const findUserIdByEmail = tau2Tool<RetailCtx>({
  name: 'find_user_id_by_email',
  type: 'read',
  schema: SCHEMAS.find_user_id_by_email,
  run(ctx, args) {
    const users = ctx.db.collection('users');
    for (const userId of users.keys()) {
      if (lower(attr(users.get(userId)!, 'email')) === lower(arg(args, 'email'))) return userId;
    }
    throw valueError('User not found');
  },
});
