import type { Domain } from '../domain.ts';
import type { PyDict } from '../../py/value.ts';
import { bookReservation } from './tools/book_reservation.ts';
import { calculate } from './tools/calculate.ts';
import { cancelReservation } from './tools/cancel_reservation.ts';
import { getReservationDetails } from './tools/get_reservation_details.ts';
import { getUserDetails } from './tools/get_user_details.ts';
import { listAllAirports } from './tools/list_all_airports.ts';
import { searchDirectFlight } from './tools/search_direct_flight.ts';
import { searchOnestopFlight } from './tools/search_onestop_flight.ts';
import { sendCertificate } from './tools/send_certificate.ts';
import { think } from './tools/think.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';
import { updateReservationBaggages } from './tools/update_reservation_baggages.ts';
import { updateReservationFlights } from './tools/update_reservation_flights.ts';
import { updateReservationPassengers } from './tools/update_reservation_passengers.ts';

const stringField =
  (field: string) =>
  (doc: PyDict): string | null => {
    const v = doc.get(field);
    return typeof v === 'string' ? v : null;
  };

/**
 * τ-bench's airline world: flights (300, each with per-date status, seats and prices),
 * reservations and users. Tools in τ-bench's `ALL_TOOLS` order (tools/airline.json).
 */
export const airline: Domain = {
  name: 'airline',
  tables: ['flights', 'reservations', 'users'],
  tools: [
    bookReservation,
    calculate,
    cancelReservation,
    getReservationDetails,
    getUserDetails,
    listAllAirports,
    searchDirectFlight,
    searchOnestopFlight,
    sendCertificate,
    think,
    transferToHumanAgents,
    updateReservationBaggages,
    updateReservationFlights,
    updateReservationPassengers,
  ],
  // The flight searches match on airports; these columns replace a scan of all 300 flights.
  indexes: { flights: { origin: stringField('origin'), destination: stringField('destination') } },
};
