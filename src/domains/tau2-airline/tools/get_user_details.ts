import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getUser, type AirlineCtx } from '../toolkit.ts';

export const getUserDetails = tau2Tool<AirlineCtx>({
  name: 'get_user_details',
  type: 'read',
  schema: SCHEMAS.get_user_details,
  run: (ctx, args) => getUser(ctx, arg(args, 'user_id')),
});
