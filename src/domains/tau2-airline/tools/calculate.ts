import { calculate as evaluate } from '../../../sandbox/tau2/calculate.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import type { AirlineCtx } from '../toolkit.ts';

export const calculate = tau2Tool<AirlineCtx>({
  name: 'calculate',
  type: 'generic',
  schema: SCHEMAS.calculate,
  run: (_ctx, args) => evaluate(arg(args, 'expression')),
});
