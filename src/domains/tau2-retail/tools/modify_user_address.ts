import { setAttr } from '../../../py/pydantic.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getUser, type RetailCtx } from '../toolkit.ts';
import { addressOf } from './address.ts';

export const modifyUserAddress = tau2Tool<RetailCtx>({
  name: 'modify_user_address',
  type: 'write',
  schema: SCHEMAS.modify_user_address,
  run(ctx, args) {
    const user = getUser(ctx, arg(args, 'user_id'), true);
    setAttr(user, 'address', addressOf(args));
    return user;
  },
});
