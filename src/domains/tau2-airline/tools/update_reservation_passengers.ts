import { valueError } from '../../../py/errors.ts';
import { iterate, len } from '../../../py/ops.ts';
import { attr, construct, deepCopyPy, setAttr } from '../../../py/pydantic.ts';
import type { PyDict } from '../../../py/value.ts';
import { allDicts, arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { Passenger } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { getReservation, type AirlineCtx } from '../toolkit.ts';

export const updateReservationPassengers = tau2Tool<AirlineCtx>({
  name: 'update_reservation_passengers',
  type: 'write',
  schema: SCHEMAS.update_reservation_passengers,
  run(ctx, args) {
    let passengers = arg(args, 'passengers');
    if (allDicts(passengers)) passengers = iterate(passengers).map((p) => construct(Passenger, p as PyDict));
    const reservation = getReservation(ctx, arg(args, 'reservation_id'), true);
    if (len(passengers) !== len(attr(reservation, 'passengers'))) throw valueError('Number of passengers does not match');
    setAttr(reservation, 'passengers', deepCopyPy(passengers));
    return reservation;
  },
});
