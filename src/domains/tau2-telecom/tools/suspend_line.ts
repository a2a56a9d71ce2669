import { valueError } from '../../../py/errors.ts';
import { eq } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import { dict } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { LineStatus } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { getTargetLine, TODAY, type TelecomCtx } from '../toolkit.ts';

export const suspendLine = tau2Tool<TelecomCtx>({
  name: 'suspend_line',
  type: 'write',
  schema: SCHEMAS.suspend_line,
  run(ctx, args) {
    const line = getTargetLine(ctx, arg(args, 'customer_id'), arg(args, 'line_id'), true);
    if (!eq(attr(line, 'status'), LineStatus.ACTIVE)) throw valueError('Line must be active to suspend');
    setAttr(line, 'status', LineStatus.SUSPENDED);
    setAttr(line, 'suspension_start_date', TODAY);
    return dict([
      ['message', 'Line suspended successfully. $5/month holding fee will apply.'],
      ['line', line],
    ]);
  },
});
