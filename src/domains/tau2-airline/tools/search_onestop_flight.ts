import { contains } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import type { PyValue } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { add } from '../../../py/ops.ts';
import { lastTwo, pyInt } from '../../airline/python.ts';
import { SCHEMAS } from '../schemas.ts';
import type { AirlineCtx } from '../toolkit.ts';
import { searchDirect } from './search.ts';

/** A second leg departing the next day is searched on `2024-05-{day+1}` (no zero padding, upstream). */
export const searchOnestopFlight = tau2Tool<AirlineCtx>({
  name: 'search_onestop_flight',
  type: 'read',
  schema: SCHEMAS.search_onestop_flight,
  run(ctx, args) {
    const date = arg(args, 'date');
    const results: PyValue[] = [];
    for (const first of searchDirect(ctx, date, arg(args, 'origin'), null)) {
      setAttr(first, 'date', date);
      const arrival = attr(first, 'scheduled_arrival_time_est');
      const date2: PyValue = contains(arrival, '+1') ? `2024-05-${String(add(pyInt(lastTwo(date)), 1))}` : date;
      for (const second of searchDirect(ctx, date2, attr(first, 'destination'), arg(args, 'destination'), arrival)) {
        setAttr(second, 'date', date2);
        results.push([first, second]);
      }
    }
    return results;
  },
});
