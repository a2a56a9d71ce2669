import { valueError } from '../../../py/errors.ts';
import { attr } from '../../../py/pydantic.ts';
import type { PyDict } from '../../../py/value.ts';
import { arg, dictHas } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import type { RetailCtx } from '../toolkit.ts';

export const getItemDetails = tau2Tool<RetailCtx>({
  name: 'get_item_details',
  type: 'read',
  schema: SCHEMAS.get_item_details,
  run(ctx, args) {
    const itemId = arg(args, 'item_id');
    for (const product of ctx.db.collection('products').values()) {
      const variants = attr(product, 'variants') as PyDict;
      if (dictHas(variants, itemId)) return variants.get(itemId)!;
    }
    throw valueError('Item not found');
  },
});
