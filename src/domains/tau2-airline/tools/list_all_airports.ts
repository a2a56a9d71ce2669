import { construct } from '../../../py/pydantic.ts';
import { dict } from '../../../py/value.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { AirportCode } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import type { AirlineCtx } from '../toolkit.ts';

const AIRPORTS: readonly [string, string][] = [
  ['SFO', 'San Francisco'],
  ['JFK', 'New York'],
  ['LAX', 'Los Angeles'],
  ['ORD', 'Chicago'],
  ['DFW', 'Dallas'],
  ['DEN', 'Denver'],
  ['SEA', 'Seattle'],
  ['ATL', 'Atlanta'],
  ['MIA', 'Miami'],
  ['BOS', 'Boston'],
  ['PHX', 'Phoenix'],
  ['IAH', 'Houston'],
  ['LAS', 'Las Vegas'],
  ['MCO', 'Orlando'],
  ['EWR', 'Newark'],
  ['CLT', 'Charlotte'],
  ['MSP', 'Minneapolis'],
  ['DTW', 'Detroit'],
  ['PHL', 'Philadelphia'],
  ['LGA', 'LaGuardia'],
];

export const listAllAirports = tau2Tool<AirlineCtx>({
  name: 'list_all_airports',
  type: 'read',
  schema: SCHEMAS.list_all_airports,
  run: () => AIRPORTS.map(([iata, city]) => construct(AirportCode, dict([['iata', iata], ['city', city]]))),
});
