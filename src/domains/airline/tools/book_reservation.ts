import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { compare, contains, eq, getItem, iterate, len, setItem } from '../../../py/ops.ts';
import { pyStr } from '../../../py/repr.ts';
import { deepCopy, type PyDict, type PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { append, delItem, iadd, isub, pluck, pySum, times } from '../python.ts';
import { cabinSchema, flightSegmentSchema, passengersSchema, paymentIdSchema } from '../schemas.ts';
import { priceSegment } from '../flights.ts';
import { airlineSignature, arg } from '../signature.ts';

/** τ-bench assumes at most three bookings per task; a fourth overwrites the third. */
const BOOKING_IDS = ['HATHAT', 'HATHAU', 'HATHAV'] as const;
const CREATED_AT = '2024-05-15T15:00:00';

/**
 * Upstream behaviour kept: passengers and payment methods are stored as given; only gift cards
 * are debited; a certificate used in full or in part is deleted; seats are checked, never taken.
 */
export const bookReservation: Tool = {
  name: 'book_reservation',
  description: 'Book a reservation.',
  kind: 'write',
  schema: z.object({
    user_id: z.string().describe("The ID of the user to book the reservation, such as 'sara_doe_496'."),
    origin: z.string().describe("The IATA code for the origin city, such as 'SFO'."),
    destination: z.string().describe("The IATA code for the destination city, such as 'JFK'."),
    flight_type: z.enum(['one_way', 'round_trip']),
    cabin: cabinSchema,
    flights: z.array(flightSegmentSchema).describe('An array of objects containing details about each piece of flight.'),
    passengers: passengersSchema,
    payment_methods: z
      .array(
        z.object({
          payment_id: paymentIdSchema,
          amount: z.number().describe('The amount to be paid.'),
        }),
      )
      .describe('An array of objects containing details about each payment method.'),
    total_baggages: z.int().describe('The total number of baggage items included in the reservation.'),
    nonfree_baggages: z.int().describe('The number of non-free baggage items included in the reservation.'),
    insurance: z.enum(['yes', 'no']),
  }),
  py: airlineSignature('book_reservation', 'BookReservation', [
    'user_id',
    'origin',
    'destination',
    'flight_type',
    'cabin',
    'flights',
    'passengers',
    'payment_methods',
    'total_baggages',
    'nonfree_baggages',
    'insurance',
  ]),
  run(world, args) {
    const reservations = world.table('reservations');
    const users = world.table('users');
    const userId = arg(args, 'user_id');
    if (!users.has(userId)) return 'Error: user not found';
    const user = users.get(userId);
    const reservationId = BOOKING_IDS.find((id) => !reservations.has(id)) ?? BOOKING_IDS[2];

    const cabin = arg(args, 'cabin');
    // Python stored the call's own (freshly decoded) objects; copy so callers' values stay theirs.
    const passengers = deepCopy(arg(args, 'passengers'));
    const paymentMethods = deepCopy(arg(args, 'payment_methods'));
    const flights = deepCopy(arg(args, 'flights'));
    const reservation: PyDict = new Map<string, PyValue>([
      ['reservation_id', reservationId],
      ['user_id', userId],
      ['origin', deepCopy(arg(args, 'origin'))],
      ['destination', deepCopy(arg(args, 'destination'))],
      ['flight_type', deepCopy(arg(args, 'flight_type'))],
      ['cabin', cabin],
      ['flights', flights],
      ['passengers', passengers],
      ['payment_history', paymentMethods],
      ['created_at', CREATED_AT],
      ['total_baggages', deepCopy(arg(args, 'total_baggages'))],
      ['nonfree_baggages', deepCopy(arg(args, 'nonfree_baggages'))],
      ['insurance', deepCopy(arg(args, 'insurance'))],
    ]);

    let totalPrice: PyValue = 0;
    for (const flight of iterate(flights)) {
      const error = priceSegment(world, flight, cabin, () => len(passengers));
      if (error !== undefined) return error;
      totalPrice = iadd(totalPrice, times(getItem(flight, 'price'), len(passengers)));
    }
    if (eq(arg(args, 'insurance'), 'yes')) totalPrice = iadd(totalPrice, times(30, len(passengers)));
    totalPrice = iadd(totalPrice, times(50, arg(args, 'nonfree_baggages')));

    const methods = getItem(user, 'payment_methods');
    for (const payment of iterate(paymentMethods)) {
      const paymentId = getItem(payment, 'payment_id');
      const amount = getItem(payment, 'amount');
      if (!contains(methods, paymentId)) return `Error: payment method ${pyStr(paymentId)} not found`;
      if (contains(['gift_card', 'certificate'], getItem(getItem(methods, paymentId), 'source'))) {
        if (compare('<', getItem(getItem(methods, paymentId), 'amount'), amount)) {
          return `Error: not enough balance in payment method ${pyStr(paymentId)}`;
        }
      }
    }
    const paid = (): PyValue => pySum(pluck(paymentMethods, 'amount'));
    if (!eq(paid(), totalPrice)) {
      return `Error: payment amount does not add up, total price is ${pyStr(totalPrice)}, but paid ${pyStr(paid())}`;
    }

    for (const payment of iterate(paymentMethods)) {
      const paymentId = getItem(payment, 'payment_id');
      const amount = getItem(payment, 'amount');
      const method = getItem(methods, paymentId);
      if (eq(getItem(method, 'source'), 'gift_card')) setItem(method, 'amount', isub(getItem(method, 'amount'), amount));
      else if (eq(getItem(getItem(methods, paymentId), 'source'), 'certificate')) delItem(methods, paymentId);
    }
    reservations.set(reservationId, reservation);
    append(getItem(user, 'reservations'), reservationId);
    return dumps(reservation);
  },
};

