import { attr, setAttr } from '../../../py/pydantic.ts';
import type { PyValue } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { maxZero, minus, times } from '../../airline/python.ts';
import { SCHEMAS } from '../schemas.ts';
import { getReservation, getUser, paymentForUpdate, type AirlineCtx } from '../toolkit.ts';

/** Charges 50 per added non-free bag; stores the bag counts exactly as given (no validation). */
export const updateReservationBaggages = tau2Tool<AirlineCtx>({
  name: 'update_reservation_baggages',
  type: 'write',
  schema: SCHEMAS.update_reservation_baggages,
  run(ctx, args) {
    const reservation = getReservation(ctx, arg(args, 'reservation_id'), true);
    getUser(ctx, attr(reservation, 'user_id'));
    const nonfree = arg(args, 'nonfree_baggages');
    const totalPrice = times(50, maxZero(minus(nonfree, attr(reservation, 'nonfree_baggages'))));
    const user = getUser(ctx, attr(reservation, 'user_id'), true);
    const payment = paymentForUpdate(user, arg(args, 'payment_id'), totalPrice);
    if (payment !== undefined) (attr(reservation, 'payment_history') as PyValue[]).push(payment);
    setAttr(reservation, 'total_baggages', arg(args, 'total_baggages'));
    setAttr(reservation, 'nonfree_baggages', nonfree);
    return reservation;
  },
});
