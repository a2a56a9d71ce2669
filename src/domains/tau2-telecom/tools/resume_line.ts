import { valueError } from '../../../py/errors.ts';
import { contains } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import { dict } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { LineStatus } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { getTargetLine, type TelecomCtx } from '../toolkit.ts';

export const resumeLine = tau2Tool<TelecomCtx>({
  name: 'resume_line',
  type: 'write',
  schema: SCHEMAS.resume_line,
  run(ctx, args) {
    const line = getTargetLine(ctx, arg(args, 'customer_id'), arg(args, 'line_id'), true);
    if (!contains([LineStatus.SUSPENDED, LineStatus.PENDING_ACTIVATION], attr(line, 'status'))) throw valueError('Line must be suspended to resume');
    setAttr(line, 'status', LineStatus.ACTIVE);
    setAttr(line, 'suspension_start_date', null);
    return dict([
      ['message', 'Line resumed successfully'],
      ['line', line],
    ]);
  },
});
