import { valueError } from '../../../py/errors.ts';
import { compare, eq, getItem, iterate, len } from '../../../py/ops.ts';
import { attr, construct, setAttr } from '../../../py/pydantic.ts';
import { dict, type PyDict, type PyValue } from '../../../py/value.ts';
import { allDicts, arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { append, iadd, isub, pySum, times } from '../../airline/python.ts';
import { FlightInfo, ReservationFlight } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { getFlight, getFlightInstance, getReservation, getUser, isAvailable, paymentForUpdate, type AirlineCtx } from '../toolkit.ts';

/** Keeps unchanged segments (same cabin), prices new ones, charges or refunds the difference, writes the cabin. */
export const updateReservationFlights = tau2Tool<AirlineCtx>({
  name: 'update_reservation_flights',
  type: 'write',
  schema: SCHEMAS.update_reservation_flights,
  run(ctx, args) {
    let flights = arg(args, 'flights');
    if (allDicts(flights)) flights = iterate(flights).map((f) => construct(FlightInfo, f as PyDict));
    const cabin = arg(args, 'cabin');
    const reservationId = arg(args, 'reservation_id');
    const reservation = getReservation(ctx, reservationId, true);
    getUser(ctx, attr(reservation, 'user_id'));
    const passengers = (): number => len(attr(reservation, 'passengers'));

    let totalPrice: PyValue = 0;
    const newFlights: PyValue[] = [];
    for (const info of iterate(flights)) {
      const match = iterate(attr(reservation, 'flights')).find(
        (rf) => eq(attr(rf, 'flight_number'), attr(info, 'flight_number')) && eq(attr(rf, 'date'), attr(info, 'date')) && eq(cabin, attr(reservation, 'cabin')),
      );
      if (match !== undefined) {
        totalPrice = iadd(totalPrice, times(attr(match, 'price'), passengers()));
        newFlights.push(match);
        continue;
      }
      const flightNumber = attr(info, 'flight_number');
      const flight = getFlight(ctx, flightNumber);
      const date = attr(info, 'date');
      const dateData = getFlightInstance(ctx, flightNumber, date);
      if (!isAvailable(dateData)) throw valueError(`Flight ${fstr(flightNumber)} not available on date ${fstr(date)}`);
      if (compare('<', getItem(attr(dateData, 'available_seats'), cabin), passengers())) {
        throw valueError(`Not enough seats on flight ${fstr(flightNumber)}`);
      }
      const segment = construct(
        ReservationFlight,
        dict([
          ['flight_number', flightNumber],
          ['date', date],
          ['price', getItem(attr(dateData, 'prices'), cabin)],
          ['origin', attr(flight, 'origin')],
          ['destination', attr(flight, 'destination')],
        ]),
      );
      totalPrice = iadd(totalPrice, times(attr(segment, 'price'), passengers()));
      newFlights.push(segment);
    }
    totalPrice = isub(totalPrice, times(pySum(iterate(attr(reservation, 'flights')).map((f) => attr(f, 'price'))), passengers()));

    const user = getUser(ctx, attr(reservation, 'user_id'), true);
    const payment = paymentForUpdate(user, arg(args, 'payment_id'), totalPrice);
    if (payment !== undefined) append(attr(reservation, 'payment_history'), payment);
    setAttr(reservation, 'flights', newFlights);
    setAttr(reservation, 'cabin', cabin);
    return reservation;
  },
});
