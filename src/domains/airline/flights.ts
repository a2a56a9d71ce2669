/**
 * Flight look-ups shared by the search tools. τ-bench scans `data["flights"].values()` and
 * compares `flight[field] == value`; a string value can only equal a string field, so the
 * indexed column (kept in insertion order) yields exactly the flights the scan would, in the
 * same order. Any other value falls back to the scan, with Python's `==`.
 */
import { compare, contains, eq, getItem, setItem } from '../../py/ops.ts';
import { pyStr } from '../../py/repr.ts';
import { notIterable } from '../../py/errors.ts';
import type { PyDict, PyValue } from '../../py/value.ts';
import type { World } from '../../sandbox/world.ts';

export type FlightField = 'origin' | 'destination';

/** Flights whose `field` equals `value`, in the table's insertion order. */
export function flightsWhere(world: World, field: FlightField, value: PyValue): PyDict[] {
  if (typeof value === 'string') return world.lookup('flights', field, value).map((key) => world.get('flights', key)!);
  return world.table('flights').keys().map((key) => world.get('flights', key)!).filter((f) => eq(getItem(f, field), value));
}

/** `{k: v for k, v in flight.items() if k != "dates"}` updated with one date's entry. */
export function flightOnDate(flight: PyDict, dateEntry: PyValue): PyDict {
  const out: PyDict = new Map();
  for (const [k, v] of flight) if (k !== 'dates') out.set(k, v);
  if (!(dateEntry instanceof Map)) throw notIterable(dateEntry);
  for (const [k, v] of dateEntry) out.set(k, v);
  return out;
}

/**
 * Checks and prices one requested segment as both booking tools do (in τ-bench's order): the
 * flight exists, flies on the date, is available and seats the passengers in `cabin`; then the
 * segment gets that cabin's price, the origin and the destination. Returns τ-bench's error text,
 * or undefined once the segment is priced. `seats` is called where Python evaluates `len(...)`.
 */
export function priceSegment(world: World, flight: PyValue, cabin: PyValue, seats: () => number): string | undefined {
  const flights = world.table('flights');
  const flightNumber = getItem(flight, 'flight_number');
  if (!flights.has(flightNumber)) return `Error: flight ${pyStr(flightNumber)} not found`;
  const flightData = flights.get(flightNumber);
  if (!contains(getItem(flightData, 'dates'), getItem(flight, 'date'))) {
    return `Error: flight ${pyStr(flightNumber)} not found on date ${pyStr(getItem(flight, 'date'))}`;
  }
  const dateData = getItem(getItem(flightData, 'dates'), getItem(flight, 'date'));
  if (!eq(getItem(dateData, 'status'), 'available')) {
    return `Error: flight ${pyStr(flightNumber)} not available on date ${pyStr(getItem(flight, 'date'))}`;
  }
  if (compare('<', getItem(getItem(dateData, 'available_seats'), cabin), seats())) {
    return `Error: not enough seats on flight ${pyStr(flightNumber)}`;
  }
  setItem(flight, 'price', getItem(getItem(dateData, 'prices'), cabin));
  setItem(flight, 'origin', getItem(flightData, 'origin'));
  setItem(flight, 'destination', getItem(flightData, 'destination'));
  return undefined;
}
