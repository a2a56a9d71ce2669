import { valueError } from '../../../py/errors.ts';
import { attributeError } from '../../../py/errors.ts';
import { arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getBillById, getCustomerById, getDeviceById, getLineById, getPlanById, type TelecomCtx } from '../toolkit.ts';

/** Dispatches on the id's first letter: L line, D device, B bill, C customer, P plan. */
export const getDetailsById = tau2Tool<TelecomCtx>({
  name: 'get_details_by_id',
  type: 'read',
  schema: SCHEMAS.get_details_by_id,
  run(ctx, args) {
    const id = arg(args, 'id');
    if (typeof id !== 'string') throw attributeError(id, 'startswith');
    if (id.startsWith('L')) return getLineById(ctx, id);
    if (id.startsWith('D')) return getDeviceById(ctx, id);
    if (id.startsWith('B')) return getBillById(ctx, id);
    if (id.startsWith('C')) return getCustomerById(ctx, id);
    if (id.startsWith('P')) return getPlanById(ctx, id);
    throw valueError(`Unknown ID format or type: ${fstr(id)}`);
  },
});
