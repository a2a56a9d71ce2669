import { act, assemble, drawPieces, type Draft, type DraftOptions, type KindTable } from '../draft.ts';
import type { Rng } from '../prng.ts';
import { book } from './booking.ts';
import { cancelReservation, compensation } from './cancel.ts';
import { addBags, changeCabin, changeFlightDate, removeBags, replacePassenger } from './modify.ts';
import type { AirlineCtx, AirlineView } from './view.ts';

/** Request kinds and their share of single-request tasks. */
export const AIRLINE_KINDS: KindTable<AirlineCtx> = [
  ['book', book, 18],
  ['change_flight_date', changeFlightDate, 12],
  ['change_cabin', changeCabin, 12],
  ['add_bags', addBags, 10],
  ['remove_bags', removeBags, 5],
  ['replace_passenger', replacePassenger, 8],
  ['cancel_reservation', cancelReservation, 20],
  ['compensation', compensation, 10],
];

const COMBINABLE = new Set(['book', 'change_flight_date', 'change_cabin', 'add_bags', 'replace_passenger']);

/** Requests per task. */
const COUNTS = [[1, 80], [2, 20]] as const;

/** One airline task draft, or null when the drawn user cannot support the drawn kinds. */
export function draftAirlineTask(v: AirlineView, rng: Rng, opts: DraftOptions = {}): Draft | null {
  const userId = rng.pick(v.userIds);
  v.spent.clear();
  const ctx: AirlineCtx = { v, rng, userId, used: new Set() };
  const pieces = drawPieces(rng, ctx, AIRLINE_KINDS, COMBINABLE, COUNTS, opts);
  if (!pieces) return null;
  const profile = act('get_user_details', { user_id: userId });
  return assemble(userId, v.fullName(userId), { method: 'user_id', user_id: userId }, [profile], profile, pieces, rng.int(0, pieces.length - 1));
}
