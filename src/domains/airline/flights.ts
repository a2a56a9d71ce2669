/**
 * Flight look-ups shared by the search tools. τ-bench scans `data["flights"].values()` and
 * compares `flight[field] == value`; a string value can only equal a string field, so the
 * indexed column (kept in insertion order) yields exactly the flights the scan would, in the
 * same order. Any other value falls back to the scan, with Python's `==`.
 */
import { eq, getItem } from '../../py/ops.ts';
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
