import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { SCHEMAS } from '../schemas.ts';
import type { AirlineCtx } from '../toolkit.ts';
import { searchDirect } from './search.ts';

export const searchDirectFlight = tau2Tool<AirlineCtx>({
  name: 'search_direct_flight',
  type: 'read',
  schema: SCHEMAS.search_direct_flight,
  run: (ctx, args) => searchDirect(ctx, arg(args, 'date'), arg(args, 'origin'), arg(args, 'destination')),
});
