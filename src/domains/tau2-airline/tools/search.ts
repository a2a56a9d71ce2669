/** `_search_direct_flight`, shared by both flight searches. */
import { compare, eq } from '../../../py/ops.ts';
import { attr, construct } from '../../../py/pydantic.ts';
import { dict, type PyDict, type PyValue } from '../../../py/value.ts';
import { dictHas } from '../../../sandbox/tau2/py.ts';
import { DirectFlight } from '../models.ts';
import type { AirlineCtx } from '../toolkit.ts';

/** Available flights on `date`; `null` origin/destination/leaveAfter match anything (Python's `None`). */
export function searchDirect(ctx: AirlineCtx, date: PyValue, origin: PyValue, destination: PyValue, leaveAfter: PyValue = null): PyDict[] {
  const out: PyDict[] = [];
  for (const flight of ctx.db.collection('flights').values()) {
    if (!(origin === null || eq(attr(flight, 'origin'), origin))) continue;
    if (!(destination === null || eq(attr(flight, 'destination'), destination))) continue;
    const dates = attr(flight, 'dates') as PyDict;
    if (!dictHas(dates, date)) continue;
    const status = dates.get(date) as PyDict;
    if (!eq(attr(status, 'status'), 'available')) continue;
    if (!(leaveAfter === null || compare('>=', attr(flight, 'scheduled_departure_time_est'), leaveAfter))) continue;
    out.push(
      construct(
        DirectFlight,
        dict([
          ['flight_number', attr(flight, 'flight_number')],
          ['origin', attr(flight, 'origin')],
          ['destination', attr(flight, 'destination')],
          ['status', 'available'],
          ['scheduled_departure_time_est', attr(flight, 'scheduled_departure_time_est')],
          ['scheduled_arrival_time_est', attr(flight, 'scheduled_arrival_time_est')],
          ['available_seats', attr(status, 'available_seats')],
          ['prices', attr(status, 'prices')],
        ]),
      ),
    );
  }
  return out;
}
