import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import { getReservation, type AirlineCtx } from '../toolkit.ts';

export const getReservationDetails = tau2Tool<AirlineCtx>({
  name: 'get_reservation_details',
  type: 'read',
  schema: SCHEMAS.get_reservation_details,
  run: (ctx, args) => getReservation(ctx, arg(args, 'reservation_id')),
});
