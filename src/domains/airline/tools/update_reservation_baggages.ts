import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { compare, contains, eq, getItem, setItem } from '../../../py/ops.ts';
import { deepCopy, type PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { append, isub, maxZero, minus, times } from '../python.ts';
import { paymentIdSchema, reservationIdSchema } from '../schemas.ts';
import { airlineSignature, arg } from '../signature.ts';

/** Charges 50 per non-free bag beyond the current count; certificates are refused. */
export const updateReservationBaggages: Tool = {
  name: 'update_reservation_baggages',
  description: 'Update the baggage information of a reservation.',
  kind: 'write',
  schema: z.object({
    reservation_id: reservationIdSchema,
    total_baggages: z.int().describe('The updated total number of baggage items included in the reservation.'),
    nonfree_baggages: z.int().describe('The updated number of non-free baggage items included in the reservation.'),
    payment_id: paymentIdSchema,
  }),
  py: airlineSignature('update_reservation_baggages', 'UpdateReservationBaggages', [
    'reservation_id',
    'total_baggages',
    'nonfree_baggages',
    'payment_id',
  ]),
  run(world, args) {
    const users = world.table('users');
    const reservations = world.table('reservations');
    const id = arg(args, 'reservation_id');
    if (!reservations.has(id)) return 'Error: reservation not found';
    const reservation = reservations.get(id);
    const nonfree = arg(args, 'nonfree_baggages');
    const totalPrice = times(50, maxZero(minus(nonfree, getItem(reservation, 'nonfree_baggages'))));
    const paymentId = arg(args, 'payment_id');
    const methods = getItem(users.get(getItem(reservation, 'user_id')), 'payment_methods');
    if (!contains(methods, paymentId)) return 'Error: payment method not found';
    const method = getItem(methods, paymentId);
    if (eq(getItem(method, 'source'), 'certificate')) return 'Error: certificate cannot be used to update reservation';
    if (eq(getItem(method, 'source'), 'gift_card') && compare('<', getItem(method, 'amount'), totalPrice)) {
      return 'Error: gift card balance is not enough';
    }
    setItem(reservation, 'total_baggages', deepCopy(arg(args, 'total_baggages')));
    setItem(reservation, 'nonfree_baggages', deepCopy(nonfree));
    if (eq(getItem(method, 'source'), 'gift_card')) setItem(method, 'amount', isub(getItem(method, 'amount'), totalPrice));
    if (!eq(totalPrice, 0)) {
      append(getItem(reservation, 'payment_history'), new Map<string, PyValue>([['payment_id', paymentId], ['amount', totalPrice]]));
    }
    return dumps(reservation);
  },
};
