import { attr } from '../../../py/pydantic.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getFlightInstance, type AirlineCtx } from '../toolkit.ts';

export const getFlightStatus = tau2Tool<AirlineCtx>({
  name: 'get_flight_status',
  type: 'read',
  schema: SCHEMAS.get_flight_status,
  run: (ctx, args) => attr(getFlightInstance(ctx, arg(args, 'flight_number'), arg(args, 'date')), 'status'),
});
