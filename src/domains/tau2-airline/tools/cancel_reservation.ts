import { iterate } from '../../../py/ops.ts';
import { attr, construct, setAttr } from '../../../py/pydantic.ts';
import { dict, type PyValue } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { extend, neg } from '../../airline/python.ts';
import { Payment } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { getReservation, type AirlineCtx } from '../toolkit.ts';

/** Refunds every payment and marks the reservation cancelled; seats are not released (upstream). */
export const cancelReservation = tau2Tool<AirlineCtx>({
  name: 'cancel_reservation',
  type: 'write',
  schema: SCHEMAS.cancel_reservation,
  run(ctx, args) {
    const reservation = getReservation(ctx, arg(args, 'reservation_id'), true);
    const refunds: PyValue[] = iterate(attr(reservation, 'payment_history')).map((p) =>
      construct(Payment, dict([['payment_id', attr(p, 'payment_id')], ['amount', neg(attr(p, 'amount'))]])),
    );
    extend(attr(reservation, 'payment_history'), refunds);
    setAttr(reservation, 'status', 'cancelled');
    return reservation;
  },
});
