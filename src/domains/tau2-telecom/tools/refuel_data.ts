import { valueError } from '../../../py/errors.ts';
import { add, compare, mul } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import { dict } from '../../../py/value.ts';
import { arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { applyOneTimeCharge, getPlanById, getTargetLine, type TelecomCtx } from '../toolkit.ts';
import { format2f } from '../format.ts';

/** Adds data to the line and charges it on the draft bill; the result dict has its numbers as strings. */
export const refuelData = tau2Tool<TelecomCtx>({
  name: 'refuel_data',
  type: 'write',
  schema: SCHEMAS.refuel_data,
  run(ctx, args) {
    const customerId = arg(args, 'customer_id');
    const lineId = arg(args, 'line_id');
    const gb = arg(args, 'gb_amount');
    const line = getTargetLine(ctx, customerId, lineId, true);
    if (compare('<=', gb, 0)) throw valueError('Refuel amount must be positive');
    const plan = getPlanById(ctx, attr(line, 'plan_id'));
    const price = attr(plan, 'data_refueling_price_per_gb');
    const charge = mul(gb, price);
    setAttr(line, 'data_refueling_gb', add(attr(line, 'data_refueling_gb'), gb));
    applyOneTimeCharge(ctx, customerId, charge, `Data refueling: ${fstr(gb)} GB at $${fstr(price)}/GB`);
    return dict([
      ['message', `Successfully added ${fstr(gb)} GB of data for line ${fstr(lineId)} for $${format2f(charge)}`],
      ['new_data_refueling_gb', attr(line, 'data_refueling_gb')],
      ['charge', charge],
    ]);
  },
});
