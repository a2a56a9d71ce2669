import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { airlineSignature } from '../signature.ts';

/** τ-bench's fixed airport list (not derived from the flights table). */
const AIRPORTS: readonly (readonly [string, string])[] = [
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

const OBSERVATION = dumps(new Map(AIRPORTS));

export const listAllAirports: Tool = {
  name: 'list_all_airports',
  description: 'List all airports and their cities.',
  kind: 'read',
  schema: z.object({}),
  py: airlineSignature('list_all_airports', 'ListAllAirports', []),
  run() {
    return OBSERVATION;
  },
};
