import { typeError } from '../../../py/errors.ts';
import { lessThan } from '../../../py/ops.ts';
import { attr } from '../../../py/pydantic.ts';
import type { PyDict, PyValue } from '../../../py/value.ts';
import { iterate } from '../../../py/ops.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getBillById, getCustomerById, type TelecomCtx } from '../toolkit.ts';

/** `seq[:limit]` (an int or None; anything else is CPython's slice TypeError). */
function head<T>(xs: T[], limit: PyValue): T[] {
  if (limit === null) return xs;
  if (typeof limit === 'boolean') return xs.slice(0, limit ? 1 : 0);
  if (typeof limit === 'number') return xs.slice(0, limit);
  if (typeof limit === 'bigint') return limit > 0n ? xs : xs.slice(0, Math.max(0, xs.length + Number(limit)));
  throw typeError('slice indices must be integers or None or have an __index__ method');
}

/** Newest issue date first (a stable descending sort, as `sorted(…, reverse=True)`). */
export const getBillsForCustomer = tau2Tool<TelecomCtx>({
  name: 'get_bills_for_customer',
  type: 'read',
  schema: SCHEMAS.get_bills_for_customer,
  run(ctx, args) {
    const customer = getCustomerById(ctx, arg(args, 'customer_id'));
    const bills: PyDict[] = iterate(attr(customer, 'bill_ids')).map((id) => getBillById(ctx, id));
    const keyed = bills.map((b, i) => ({ b, i, k: attr(b, 'issue_date') }));
    keyed.sort((x, y) => (lessThan(y.k, x.k) ? -1 : lessThan(x.k, y.k) ? 1 : x.i - y.i));
    return head(
      keyed.map((x) => x.b),
      arg(args, 'limit'),
    );
  },
});
