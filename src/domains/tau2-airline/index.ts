/**
 * τ²-bench's airline world: flights, users and reservations as pydantic models, 14 tools in
 * τ²'s toolkit order. No user tools.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePy } from '../../py/parse.ts';
import { isDict } from '../../py/value.ts';
import { Tau2Db, Tau2DbTemplate, type Tau2DbSpec } from '../../sandbox/tau2/db.ts';
import { Tau2Environment } from '../../sandbox/tau2/environment.ts';
import type { Tau2World } from '../../sandbox/tau2/world.ts';
import { FlightDB } from './models.ts';
import { CLASS, type AirlineCtx } from './toolkit.ts';
import { bookReservation } from './tools/book_reservation.ts';
import { calculate } from './tools/calculate.ts';
import { cancelReservation } from './tools/cancel_reservation.ts';
import { getFlightStatus } from './tools/get_flight_status.ts';
import { getReservationDetails } from './tools/get_reservation_details.ts';
import { getUserDetails } from './tools/get_user_details.ts';
import { listAllAirports } from './tools/list_all_airports.ts';
import { searchDirectFlight } from './tools/search_direct_flight.ts';
import { searchOnestopFlight } from './tools/search_onestop_flight.ts';
import { sendCertificate } from './tools/send_certificate.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';
import { updateReservationBaggages } from './tools/update_reservation_baggages.ts';
import { updateReservationFlights } from './tools/update_reservation_flights.ts';
import { updateReservationPassengers } from './tools/update_reservation_passengers.ts';

export const AIRLINE_DB: Tau2DbSpec = {
  model: FlightDB,
  collections: [
    { path: ['flights'], kind: 'dict' },
    { path: ['users'], kind: 'dict' },
    { path: ['reservations'], kind: 'dict' },
  ],
};

export const AIRLINE_TOOLS = [
  bookReservation,
  calculate,
  cancelReservation,
  getReservationDetails,
  getUserDetails,
  listAllAirports,
  searchDirectFlight,
  searchOnestopFlight,
  sendCertificate,
  transferToHumanAgents,
  updateReservationBaggages,
  updateReservationFlights,
  updateReservationPassengers,
  getFlightStatus,
];

/** Loads `db.json` and `policy.md` from a τ² airline data folder. */
export function loadAirline(dir: string): Tau2World {
  const data = parsePy(readFileSync(join(dir, 'db.json'), 'utf8'));
  if (!isDict(data)) throw new Error(`${join(dir, 'db.json')}: expected a JSON object`);
  const template = Tau2DbTemplate.fromData(AIRLINE_DB, data);
  const policy = readFileSync(join(dir, 'policy.md'), 'utf8');
  const environment = (): Tau2Environment => {
    const db = new Tau2Db(template);
    const ctx: AirlineCtx = { db };
    return new Tau2Environment({ domain: 'airline', agent: { className: CLASS, context: ctx, tools: AIRLINE_TOOLS, dbHash: () => db.hash() } });
  };
  return {
    domain: 'airline',
    policy: () => policy,
    agentTools: () => AIRLINE_TOOLS.map((t) => t.schema!),
    userTools: () => [],
    environment,
    pristine: () => ({ dbHash: template.hash, userDbHash: null }),
  };
}
