import { attr } from '../../../py/pydantic.ts';
import { dict } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getPlanById, getTargetLine, type TelecomCtx } from '../toolkit.ts';

/** A plain dict: τ² writes its numbers as strings (`"15.0"`); the cycle ends on the last day of this month. */
export const getDataUsage = tau2Tool<TelecomCtx>({
  name: 'get_data_usage',
  type: 'read',
  schema: SCHEMAS.get_data_usage,
  run(ctx, args) {
    const line = getTargetLine(ctx, arg(args, 'customer_id'), arg(args, 'line_id'));
    const plan = getPlanById(ctx, attr(line, 'plan_id'));
    return dict([
      ['line_id', arg(args, 'line_id')],
      ['data_used_gb', attr(line, 'data_used_gb')],
      ['data_limit_gb', attr(plan, 'data_limit_gb')],
      ['data_refueling_gb', attr(line, 'data_refueling_gb')],
      ['cycle_end_date', '2025-02-28'],
    ]);
  },
});
