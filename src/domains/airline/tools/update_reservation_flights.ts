import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { compare, contains, eq, getItem, iterate, len, setItem } from '../../../py/ops.ts';
import { deepCopy, type PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { append, iadd, isub, pluck, pySum, times } from '../python.ts';
import { cabinSchema, flightSegmentSchema, paymentIdSchema, reservationIdSchema } from '../schemas.ts';
import { priceSegment } from '../flights.ts';
import { airlineSignature, arg } from '../signature.ts';

/**
 * Upstream behaviour kept: a segment the reservation already has keeps its old price, but only
 * when the cabin is unchanged; the difference is charged or refunded (a gift card is debited or
 * credited; a non-zero amount, possibly negative, is appended to the history); the new cabin is
 * never written and flight inventory is never touched.
 */
export const updateReservationFlights: Tool = {
  name: 'update_reservation_flights',
  description: 'Update the flight information of a reservation.',
  kind: 'write',
  schema: z.object({
    reservation_id: reservationIdSchema,
    cabin: cabinSchema,
    flights: z
      .array(flightSegmentSchema)
      .describe(
        'An array of objects containing details about each piece of flight in the ENTIRE new reservation. Even if the a flight segment is not changed, it should still be included in the array.',
      ),
    payment_id: paymentIdSchema,
  }),
  py: airlineSignature('update_reservation_flights', 'UpdateReservationFlights', ['reservation_id', 'cabin', 'flights', 'payment_id']),
  run(world, args) {
    const users = world.table('users');
    const reservations = world.table('reservations');
    const id = arg(args, 'reservation_id');
    if (!reservations.has(id)) return 'Error: reservation not found';
    const reservation = reservations.get(id);
    const cabin = arg(args, 'cabin');

    let totalPrice: PyValue = 0;
    const flights = deepCopy(arg(args, 'flights'));
    for (const flight of iterate(flights)) {
      const kept = iterate(getItem(reservation, 'flights')).filter(
        (f) =>
          eq(getItem(f, 'flight_number'), getItem(flight, 'flight_number')) &&
          eq(getItem(f, 'date'), getItem(flight, 'date')) &&
          eq(cabin, getItem(reservation, 'cabin')),
      );
      const old = kept[0];
      if (old !== undefined) {
        totalPrice = iadd(totalPrice, times(getItem(old, 'price'), len(getItem(reservation, 'passengers'))));
        setItem(flight, 'price', getItem(old, 'price'));
        setItem(flight, 'origin', getItem(old, 'origin'));
        setItem(flight, 'destination', getItem(old, 'destination'));
        continue;
      }
      const error = priceSegment(world, flight, cabin, () => len(getItem(reservation, 'passengers')));
      if (error !== undefined) return error;
      totalPrice = iadd(totalPrice, times(getItem(flight, 'price'), len(getItem(reservation, 'passengers'))));
    }
    const oldTotal = pySum(pluck(getItem(reservation, 'flights'), 'price'));
    totalPrice = isub(totalPrice, times(oldTotal, len(getItem(reservation, 'passengers'))));

    const methods = getItem(users.get(getItem(reservation, 'user_id')), 'payment_methods');
    const paymentId = arg(args, 'payment_id');
    if (!contains(methods, paymentId)) return 'Error: payment method not found';
    const method = getItem(methods, paymentId);
    if (eq(getItem(method, 'source'), 'certificate')) return 'Error: certificate cannot be used to update reservation';
    if (eq(getItem(method, 'source'), 'gift_card') && compare('<', getItem(method, 'amount'), totalPrice)) {
      return 'Error: gift card balance is not enough';
    }
    if (eq(getItem(method, 'source'), 'gift_card')) setItem(method, 'amount', isub(getItem(method, 'amount'), totalPrice));
    setItem(reservation, 'flights', flights);
    if (!eq(totalPrice, 0)) {
      append(getItem(reservation, 'payment_history'), new Map<string, PyValue>([['payment_id', paymentId], ['amount', totalPrice]]));
    }
    // No flight inventory update here: upstream assumes it "takes time to be updated".
    return dumps(reservation);
  },
};
