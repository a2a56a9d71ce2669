import type { PyDict } from '../../py/value.ts';
import { act, type Piece } from '../draft.ts';
import type { PassengerT } from '../intent.ts';
import { FIRST_NAMES, LAST_NAMES, makeDob } from '../people.ts';
import { dicts, obj, str } from '../record.ts';
import { NOW_DATE } from './calendar.ts';
import { CABINS } from './flights.ts';
import { choose, freeBags, type AirlineCtx, type Offer } from './view.ts';

/**
 * A new booking: the user names route, dates, cabin, passengers, bags, insurance and one
 * payment method; the flights are the ones their preference picks from the direct-flight search.
 */
export function book(ctx: AirlineCtx): Piece | null {
  if (ctx.used.has('<booking>')) return null;
  const { v, rng, userId } = ctx;
  const user = v.user(userId);
  const flights = [...v.flights.values()];
  for (let tries = 0; tries < 15; tries++) {
    const f = rng.pick(flights);
    const dates = [...obj(f, 'dates').keys()].filter((d) => d > NOW_DATE);
    if (!dates.length) continue;
    const date = rng.pick(dates);
    const origin = str(f, 'origin');
    const destination = str(f, 'destination');
    const cabin = rng.pick(CABINS);
    const n = rng.weighted([[1, 55], [2, 30], [3, 15]] as const);
    const preference = rng.pick(['cheapest', 'earliest'] as const);
    const out = choose(v.offers(origin, destination, date, cabin, n), preference);
    if (!out) continue;
    const legs: Offer[] = [out];
    let returnDate: string | undefined;
    if (rng.chance(0.4)) {
      const later = dates.filter((d) => d > date);
      if (later.length) {
        returnDate = rng.pick(later);
        const back = choose(v.offers(destination, origin, returnDate, cabin, n), preference);
        if (back) legs.push(back);
        else returnDate = undefined;
      }
    }
    const name = obj(user, 'name');
    const passengers: PassengerT[] = [{ first_name: str(name, 'first_name'), last_name: str(name, 'last_name'), dob: str(user, 'dob') }];
    for (const s of dicts(user, 'saved_passengers')) if (passengers.length < n) passengers.push({ first_name: str(s, 'first_name'), last_name: str(s, 'last_name'), dob: str(s, 'dob') });
    while (passengers.length < n) passengers.push({ first_name: rng.pick(FIRST_NAMES), last_name: rng.pick(LAST_NAMES), dob: makeDob(rng, 1950, 2015) });
    const insurance = rng.pick(['yes', 'no'] as const);
    const total_baggages = rng.int(0, n * 2);
    const nonfree = Math.max(0, total_baggages - freeBags(str(user, 'membership'), cabin) * n);
    const fare = legs.reduce((s, o) => s + o.price, 0);
    const total = fare * n + (insurance === 'yes' ? 30 * n : 0) + 50 * nonfree;
    const payers = v.payers(userId, total);
    if (!payers.length) continue;
    const method: PyDict = rng.pick(payers);
    v.commit(method, total);
    ctx.used.add('<booking>');
    const flight_type = legs.length > 1 ? 'round_trip' : 'one_way';
    const args = {
      user_id: userId,
      origin,
      destination,
      flight_type,
      cabin,
      flights: legs.map((o) => ({ flight_number: o.flight_number, date: o.date })),
      passengers,
      payment_methods: [{ payment_id: str(method, 'id'), amount: total }],
      total_baggages,
      nonfree_baggages: nonfree,
      insurance,
    };
    const calc = `(${legs.map((o) => o.price).join(' + ')}) * ${n}${insurance === 'yes' ? ` + 30 * ${n}` : ''}${nonfree ? ` + 50 * ${nonfree}` : ''}`;
    const reads = [act('search_direct_flight', { origin, destination, date })];
    if (returnDate) reads.push(act('search_direct_flight', { origin: destination, destination: origin, date: returnDate }));
    if (nonfree) reads.push(act('calculate', { expression: `${total_baggages} - ${freeBags(str(user, 'membership'), cabin)} * ${n}` }));
    reads.push(act('calculate', { expression: calc }));
    return {
      request: {
        type: 'book',
        outcome: 'performed',
        origin,
        destination,
        flight_type,
        date,
        ...(returnDate ? { return_date: returnDate } : {}),
        cabin,
        preference,
        passengers,
        total_baggages,
        insurance,
        payment: v.paymentRef(userId, str(method, 'id')),
      },
      reads,
      writes: [act('book_reservation', args)],
      outputs: [],
      twin: { write: 0, action: act('book_reservation', { ...args, total_baggages: total_baggages + 1 }) },
      difficulty: (n > 1 ? 1 : 0) + (legs.length > 1 ? 1 : 0),
      needsProfile: true,
    };
  }
  return null;
}
