/**
 * τ²-bench's `AirlineTools` helpers (`_get_user`, `_get_reservation`, …) over an episode's
 * database, with the same lookups, error texts and side effects.
 */
import { valueError } from '../../py/errors.ts';
import { attr } from '../../py/pydantic.ts';
import type { PyDict, PyValue } from '../../py/value.ts';
import type { Tau2Db } from '../../sandbox/tau2/db.ts';
import { dictHas, fstr } from '../../sandbox/tau2/py.ts';
import { compare, eq, getItem, iterate } from '../../py/ops.ts';
import { FlightDateStatusAvailable, Payment } from './models.ts';
import { construct, isInstance } from '../../py/pydantic.ts';
import { isub } from '../airline/python.ts';
import { dict } from '../../py/value.ts';

export interface AirlineCtx {
  db: Tau2Db;
}

export const CLASS = 'AirlineTools';

function lookup(ctx: AirlineCtx, table: string, key: PyValue, what: string, mutable: boolean): PyDict {
  const coll = ctx.db.collection(table);
  if (!coll.has(key)) throw valueError(`${what} ${fstr(key)} not found`);
  return (mutable ? coll.mut(key as string) : coll.get(key as string))!;
}

/** `_get_user` (a shared record unless `mutable`). */
export const getUser = (ctx: AirlineCtx, userId: PyValue, mutable = false): PyDict => lookup(ctx, 'users', userId, 'User', mutable);
export const getReservation = (ctx: AirlineCtx, id: PyValue, mutable = false): PyDict =>
  lookup(ctx, 'reservations', id, 'Reservation', mutable);
export const getFlight = (ctx: AirlineCtx, flightNumber: PyValue, mutable = false): PyDict =>
  lookup(ctx, 'flights', flightNumber, 'Flight', mutable);

/** `_get_flight_instance`: the flight's status object on a date. */
export function getFlightInstance(ctx: AirlineCtx, flightNumber: PyValue, date: PyValue, mutable = false): PyDict {
  const flight = getFlight(ctx, flightNumber, mutable);
  const dates = attr(flight, 'dates') as PyDict;
  if (!dictHas(dates, date)) throw valueError(`Flight ${fstr(flightNumber)} not found on date ${fstr(date)}`);
  return dates.get(date) as PyDict;
}

export const isAvailable = (status: PyValue): boolean => isInstance(status, FlightDateStatusAvailable);

/** `_get_new_reservation_id`: at most three bookings per task. */
export function newReservationId(ctx: AirlineCtx): string {
  const coll = ctx.db.collection('reservations');
  for (const id of ['HATHAT', 'HATHAU', 'HATHAV']) if (!coll.has(id)) return id;
  throw valueError('Too many reservations');
}

export const CERTIFICATE_IDS = [3221322, 3221323, 3221324] as const;
export const NOW = '2024-05-15T15:00:00';

/**
 * `_payment_for_update`: checks the payment method, debits a gift card, and returns the
 * `Payment` to record (undefined when the price is 0). `user` must be the episode's own copy.
 */
export function paymentForUpdate(user: PyDict, paymentId: PyValue, totalPrice: PyValue): PyDict | undefined {
  const methods = attr(user, 'payment_methods') as PyDict;
  if (!dictHas(methods, paymentId)) throw valueError('Payment method not found');
  const method = methods.get(paymentId) as PyDict;
  const source = attr(method, 'source');
  if (eq(source, 'certificate')) throw valueError('Certificate cannot be used to update reservation');
  if (eq(source, 'gift_card') && compare('<', attr(method, 'amount'), totalPrice)) throw valueError('Gift card balance is not enough');
  if (eq(source, 'gift_card')) method.set('amount', isub(attr(method, 'amount'), totalPrice));
  if (!eq(totalPrice, 0)) return construct(Payment, dict([['payment_id', paymentId], ['amount', totalPrice]]));
  return undefined;
}

/** Iterates like Python's `for x in v`. */
export const each = iterate;
export { getItem };
