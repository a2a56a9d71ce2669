import { truthy } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getTargetLine, type TelecomCtx } from '../toolkit.ts';

export const enableRoaming = tau2Tool<TelecomCtx>({
  name: 'enable_roaming',
  type: 'write',
  schema: SCHEMAS.enable_roaming,
  run(ctx, args) {
    const line = getTargetLine(ctx, arg(args, 'customer_id'), arg(args, 'line_id'), true);
    if (truthy(attr(line, 'roaming_enabled'))) return 'Roaming was already enabled';
    setAttr(line, 'roaming_enabled', true);
    return 'Roaming enabled successfully';
  },
});

export const disableRoaming = tau2Tool<TelecomCtx>({
  name: 'disable_roaming',
  type: 'write',
  schema: SCHEMAS.disable_roaming,
  run(ctx, args) {
    const line = getTargetLine(ctx, arg(args, 'customer_id'), arg(args, 'line_id'), true);
    if (!truthy(attr(line, 'roaming_enabled'))) return 'Roaming was already disabled';
    setAttr(line, 'roaming_enabled', false);
    return 'Roaming disabled successfully';
  },
});
