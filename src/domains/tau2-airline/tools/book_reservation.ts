import { valueError } from '../../../py/errors.ts';
import { compare, contains, eq, getItem, iterate, len } from '../../../py/ops.ts';
import { attr, construct, deepCopyPy } from '../../../py/pydantic.ts';
import { dict, type PyDict, type PyValue } from '../../../py/value.ts';
import { allDicts, arg, dictHas, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { iadd, isub, pySum, times } from '../../airline/python.ts';
import { FlightInfo, Passenger, Payment, Reservation, ReservationFlight } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { getFlight, getFlightInstance, getUser, isAvailable, newReservationId, NOW, type AirlineCtx } from '../toolkit.ts';

const toModels = (v: PyValue, spec: typeof FlightInfo): PyValue =>
  allDicts(v) ? iterate(v).map((x) => construct(spec, x as PyDict)) : v;

/**
 * Checks everything before touching the database; then debits gift cards, removes used
 * certificates, takes the seats and stores the reservation (upstream order, so a duplicated
 * certificate fails half-way with its KeyError, as in Python).
 */
export const bookReservation = tau2Tool<AirlineCtx>({
  name: 'book_reservation',
  type: 'write',
  schema: SCHEMAS.book_reservation,
  run(ctx, args) {
    const flights = toModels(arg(args, 'flights'), FlightInfo);
    const passengers = toModels(arg(args, 'passengers'), Passenger);
    const paymentMethods = toModels(arg(args, 'payment_methods'), Payment);
    const userId = arg(args, 'user_id');
    const cabin = arg(args, 'cabin');
    const insurance = arg(args, 'insurance');
    const nonfree = arg(args, 'nonfree_baggages');
    const user = getUser(ctx, userId);
    const reservationId = newReservationId(ctx);
    const reservation = construct(
      Reservation,
      dict([
        ['reservation_id', reservationId],
        ['user_id', userId],
        ['origin', arg(args, 'origin')],
        ['destination', arg(args, 'destination')],
        ['flight_type', arg(args, 'flight_type')],
        ['cabin', cabin],
        ['flights', []],
        ['passengers', deepCopyPy(passengers)],
        ['payment_history', deepCopyPy(paymentMethods)],
        ['created_at', NOW],
        ['total_baggages', arg(args, 'total_baggages')],
        ['nonfree_baggages', nonfree],
        ['insurance', insurance],
      ]),
    );

    let totalPrice: PyValue = 0;
    const taken: { flightNumber: PyValue; date: PyValue }[] = [];
    for (const info of iterate(flights)) {
      const flightNumber = attr(info, 'flight_number');
      const flight = getFlight(ctx, flightNumber);
      const date = attr(info, 'date');
      const dateData = getFlightInstance(ctx, flightNumber, date);
      if (!isAvailable(dateData)) throw valueError(`Flight ${fstr(flightNumber)} not available on date ${fstr(date)}`);
      if (compare('<', getItem(attr(dateData, 'available_seats'), cabin), len(passengers))) {
        throw valueError(`Not enough seats on flight ${fstr(flightNumber)}`);
      }
      const price = getItem(attr(dateData, 'prices'), cabin);
      (attr(reservation, 'flights') as PyValue[]).push(
        construct(
          ReservationFlight,
          dict([
            ['origin', attr(flight, 'origin')],
            ['destination', attr(flight, 'destination')],
            ['flight_number', flightNumber],
            ['date', date],
            ['price', price],
          ]),
        ),
      );
      taken.push({ flightNumber, date });
      totalPrice = iadd(totalPrice, times(price, len(passengers)));
    }
    if (eq(insurance, 'yes')) totalPrice = iadd(totalPrice, times(30, len(passengers)));
    totalPrice = iadd(totalPrice, times(50, nonfree));

    for (const pm of iterate(paymentMethods)) {
      const paymentId = attr(pm, 'payment_id');
      const amount = attr(pm, 'amount');
      const methods = attr(user, 'payment_methods') as PyDict;
      if (!dictHas(methods, paymentId)) throw valueError(`Payment method ${fstr(paymentId)} not found`);
      const method = methods.get(paymentId)!;
      if (contains(['gift_card', 'certificate'], attr(method, 'source')) && compare('<', attr(method, 'amount'), amount)) {
        throw valueError(`Not enough balance in payment method ${fstr(paymentId)}`);
      }
    }
    const totalPayment = pySum(iterate(paymentMethods).map((p) => attr(p, 'amount')));
    if (!eq(totalPayment, totalPrice)) {
      throw valueError(`Payment amount does not add up, total price is ${fstr(totalPrice)}, but paid ${fstr(totalPayment)}`);
    }

    const mine = getUser(ctx, userId, true);
    for (const pm of iterate(paymentMethods)) {
      const paymentId = attr(pm, 'payment_id') as string;
      const methods = attr(mine, 'payment_methods') as PyDict;
      const method = getItem(methods, paymentId) as PyDict;
      if (eq(attr(method, 'source'), 'gift_card')) method.set('amount', isub(attr(method, 'amount'), attr(pm, 'amount')));
      else if (eq(attr(method, 'source'), 'certificate')) methods.delete(paymentId);
    }
    for (const { flightNumber, date } of taken) {
      const seats = attr(getFlightInstance(ctx, flightNumber, date, true), 'available_seats') as PyDict;
      seats.set(cabin as string, isub(getItem(seats, cabin), len(passengers)));
    }
    ctx.db.collection('reservations').set(reservationId, reservation);
    (attr(mine, 'reservations') as PyValue[]).push(reservationId);
    return reservation;
  },
});
