/**
 * τ²-bench's airline data model (pydantic), field for field in declaration order: what
 * `model_dump()` writes, what validation coerces (gift card `amount` is a float) and which
 * literals it accepts.
 */
import { field, T, type ModelSpec } from '../../py/pydantic.ts';

const model = (name: string, fields: ModelSpec['fields']): ModelSpec => ({ name, fields, extra: 'ignore' });

export const CABIN = T.literal('business', 'economy', 'basic_economy');

export const AirportCode = model('AirportCode', [field('iata', T.str), field('city', T.str)]);
export const Name = model('Name', [field('first_name', T.str), field('last_name', T.str)]);
export const Address = model('Address', [
  field('address1', T.str),
  field('address2', T.optional(T.str), { default: () => null }),
  field('city', T.str),
  field('country', T.str),
  field('state', T.str),
  field('zip', T.str),
]);
export const Payment = model('Payment', [field('payment_id', T.str), field('amount', T.int)]);
export const CreditCard = model('CreditCard', [
  field('source', T.literal('credit_card')),
  field('id', T.str),
  field('brand', T.str),
  field('last_four', T.str),
]);
export const GiftCard = model('GiftCard', [field('source', T.literal('gift_card')), field('id', T.str), field('amount', T.float)]);
export const Certificate = model('Certificate', [field('source', T.literal('certificate')), field('id', T.str), field('amount', T.float)]);
export const Passenger = model('Passenger', [field('first_name', T.str), field('last_name', T.str), field('dob', T.str)]);

const seats = T.dict(T.int, CABIN);
export const FlightDateStatusAvailable = model('FlightDateStatusAvailable', [
  field('status', T.literal('available')),
  field('available_seats', seats),
  field('prices', seats),
]);
const FlightDataStatusOnTime = model('FlightDataStatusOnTime', [
  field('status', T.literal('on time')),
  field('estimated_departure_time_est', T.str),
  field('estimated_arrival_time_est', T.str),
]);
const FlightDataStatusFlying = model('FlightDataStatusFlying', [
  field('status', T.literal('flying')),
  field('actual_departure_time_est', T.str),
  field('estimated_arrival_time_est', T.str),
]);
const FlightDateStatusLanded = model('FlightDateStatusLanded', [
  field('status', T.literal('landed')),
  field('actual_departure_time_est', T.str),
  field('actual_arrival_time_est', T.str),
]);
const FlightDateStatusCancelled = model('FlightDateStatusCancelled', [field('status', T.literal('cancelled'))]);
const FlightDateStatusDelayed = model('FlightDateStatusDelayed', [
  field('status', T.literal('delayed')),
  field('estimated_departure_time_est', T.str),
  field('estimated_arrival_time_est', T.str),
]);

export const Flight = model('Flight', [
  field('flight_number', T.str),
  field('origin', T.str),
  field('destination', T.str),
  field('scheduled_departure_time_est', T.str),
  field('scheduled_arrival_time_est', T.str),
  field(
    'dates',
    T.dict(
      T.union(
        () => FlightDateStatusAvailable,
        () => FlightDateStatusLanded,
        () => FlightDateStatusCancelled,
        () => FlightDateStatusDelayed,
        () => FlightDataStatusFlying,
        () => FlightDataStatusOnTime,
      ),
    ),
  ),
]);

export const DirectFlight = model('DirectFlight', [
  field('flight_number', T.str),
  field('origin', T.str),
  field('destination', T.str),
  field('status', T.literal('available')),
  field('scheduled_departure_time_est', T.str),
  field('scheduled_arrival_time_est', T.str),
  field('date', T.optional(T.str), { default: () => null }),
  field('available_seats', seats),
  field('prices', seats),
]);

export const ReservationFlight = model('ReservationFlight', [
  field('flight_number', T.str),
  field('origin', T.str),
  field('destination', T.str),
  field('date', T.str),
  field('price', T.int),
]);

export const FlightInfo = model('FlightInfo', [field('flight_number', T.str), field('date', T.str)]);

export const User = model('User', [
  field('user_id', T.str),
  field('name', T.model(() => Name)),
  field('address', T.model(() => Address)),
  field('email', T.str),
  field('dob', T.str),
  field('payment_methods', T.dict(T.union(() => CreditCard, () => GiftCard, () => Certificate))),
  field('saved_passengers', T.list(T.model(() => Passenger))),
  field('membership', T.literal('gold', 'silver', 'regular')),
  field('reservations', T.list(T.str)),
]);

export const Reservation = model('Reservation', [
  field('reservation_id', T.str),
  field('user_id', T.str),
  field('origin', T.str),
  field('destination', T.str),
  field('flight_type', T.literal('round_trip', 'one_way')),
  field('cabin', CABIN),
  field('flights', T.list(T.model(() => ReservationFlight))),
  field('passengers', T.list(T.model(() => Passenger))),
  field('payment_history', T.list(T.model(() => Payment))),
  field('created_at', T.str),
  field('total_baggages', T.int),
  field('nonfree_baggages', T.int),
  field('insurance', T.literal('yes', 'no')),
  field('status', T.optional(T.literal('cancelled')), { default: () => null }),
]);

export const FlightDB: ModelSpec = {
  name: 'FlightDB',
  extra: 'forbid',
  fields: [
    field('flights', T.dict(T.model(() => Flight))),
    field('users', T.dict(T.model(() => User))),
    field('reservations', T.dict(T.model(() => Reservation))),
  ],
};
