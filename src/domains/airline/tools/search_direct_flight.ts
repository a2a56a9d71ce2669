import { dumps } from '../../../py/dumps.ts';
import { contains, eq, getItem } from '../../../py/ops.ts';
import type { PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { flightOnDate, flightsWhere } from '../flights.ts';
import { searchSchema } from '../schemas.ts';
import { airlineSignature, arg } from '../signature.ts';

export const searchDirectFlight: Tool = {
  name: 'search_direct_flight',
  description: 'Search direct flights between two cities on a specific date.',
  kind: 'read',
  schema: searchSchema('2024-01-01'),
  py: airlineSignature('search_direct_flight', 'SearchDirectFlight', ['origin', 'destination', 'date']),
  run(world, args) {
    const destination = arg(args, 'destination');
    const date = arg(args, 'date');
    const results: PyValue[] = [];
    for (const flight of flightsWhere(world, 'origin', arg(args, 'origin'))) {
      if (!eq(getItem(flight, 'destination'), destination)) continue;
      const dates = getItem(flight, 'dates');
      if (!contains(dates, date)) continue;
      if (!eq(getItem(getItem(dates, date), 'status'), 'available')) continue;
      results.push(flightOnDate(flight, getItem(dates, date)));
    }
    return dumps(results);
  },
};
