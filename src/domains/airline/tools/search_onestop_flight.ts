import { dumps } from '../../../py/dumps.ts';
import { compare, contains, eq, getItem } from '../../../py/ops.ts';
import type { PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { flightOnDate, flightsWhere } from '../flights.ts';
import { lastTwo, pyInt } from '../python.ts';
import { searchSchema } from '../schemas.ts';
import { airlineSignature, arg } from '../signature.ts';

/**
 * Upstream quirks kept: the next-day date is `2024-05-{int(date[-2:])+1}` (no zero padding, so
 * `2024-05-05` connects to `2024-05-6`), and the second leg's fields come from the *first* day's
 * entry (`flight2["dates"][date]`) while it is labelled with the next-day date.
 */
export const searchOnestopFlight: Tool = {
  name: 'search_onestop_flight',
  description: 'Search direct flights between two cities on a specific date.',
  kind: 'read',
  schema: searchSchema('2024-05-01'),
  py: airlineSignature('search_onestop_flight', 'SearchOnestopFlight', ['origin', 'destination', 'date']),
  run(world, args) {
    const date = arg(args, 'date');
    const results: PyValue[] = [];
    const firstLegs = flightsWhere(world, 'origin', arg(args, 'origin'));
    // Python's inner loop scans every flight for each first leg; the destination index gives the
    // same candidates in the same order, filtered below by the connection airport.
    const secondLegs = firstLegs.length > 0 ? flightsWhere(world, 'destination', arg(args, 'destination')) : [];
    for (const flight1 of firstLegs) {
      for (const flight2 of secondLegs) {
        if (!eq(getItem(flight1, 'destination'), getItem(flight2, 'origin'))) continue;
        const arrival = getItem(flight1, 'scheduled_arrival_time_est');
        const date2 = contains(arrival, '+1') ? `2024-05-${pyInt(lastTwo(date)) + 1}` : date;
        if (compare('>', arrival, getItem(flight2, 'scheduled_departure_time_est'))) continue;
        const dates1 = getItem(flight1, 'dates');
        const dates2 = getItem(flight2, 'dates');
        if (!contains(dates1, date) || !contains(dates2, date2)) continue;
        if (!eq(getItem(getItem(dates1, date), 'status'), 'available')) continue;
        if (!eq(getItem(getItem(dates2, date2), 'status'), 'available')) continue;
        const result1 = flightOnDate(flight1, getItem(dates1, date));
        result1.set('date', date);
        const result2 = flightOnDate(flight2, getItem(dates2, date));
        result2.set('date', date2);
        results.push([result1, result2]);
      }
    }
    return dumps(results);
  },
};

