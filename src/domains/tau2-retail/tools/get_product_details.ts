import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getProduct, type RetailCtx } from '../toolkit.ts';

export const getProductDetails = tau2Tool<RetailCtx>({
  name: 'get_product_details',
  type: 'read',
  schema: SCHEMAS.get_product_details,
  run: (ctx, args) => getProduct(ctx, arg(args, 'product_id')),
});
