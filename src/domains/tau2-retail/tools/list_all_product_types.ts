import { dumpsSorted } from '../../../py/dumps.ts';
import { attr } from '../../../py/pydantic.ts';
import type { PyDict } from '../../../py/value.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import type { RetailCtx } from '../toolkit.ts';

/** `json.dumps({name: product_id}, sort_keys=True)`: a str, returned as it is. */
export const listAllProductTypes = tau2Tool<RetailCtx>({
  name: 'list_all_product_types',
  type: 'read',
  schema: SCHEMAS.list_all_product_types,
  run(ctx) {
    const out: PyDict = new Map();
    for (const p of ctx.db.collection('products').values()) out.set(attr(p, 'name') as string, attr(p, 'product_id'));
    return dumpsSorted(out);
  },
});
