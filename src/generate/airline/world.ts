import type { WorldData } from '../../domains/domain.ts';
import { dict, type PyDict, type PyValue } from '../../py/value.ts';
import { FIRST_NAMES, LAST_NAMES, makeAddress, makeCard, makeDob, makePerson } from '../people.ts';
import { IdPool, Rng } from '../prng.ts';
import { dicts, num, obj, str } from '../record.ts';
import { addDays, stamp } from './calendar.ts';
import { CABINS, makeFlights, minutesOf } from './flights.ts';

export interface AirlineWorldOptions {
  users: number;
  flights: number;
  reservations: number;
  /** First date flights have entries for, `YYYY-MM-DD`. */
  startDate: string;
  days: number;
}

/** τ-bench's airline world size and date range. */
export const AIRLINE_DEFAULTS: AirlineWorldOptions = { users: 500, flights: 300, reservations: 2000, startDate: '2024-05-01', days: 30 };

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
/** Ids τ-bench's booking tool assigns; never generate them. */
const RESERVED = new Set(['HATHAT', 'HATHAU', 'HATHAV']);

/**
 * An airline world in τ-bench's record shapes (`flights`, `reservations`, `users`), a pure
 * function of the seed and sizes. All money is int, as in τ-bench's data.
 */
export function generateAirlineWorld(seed: string | number, opts: Partial<AirlineWorldOptions> = {}): WorldData {
  const o = { ...AIRLINE_DEFAULTS, ...opts };
  const rng = new Rng(`airline-world/${String(seed)}`);
  const ids = new IdPool(rng.fork('ids'));
  ids.reserve(RESERVED);
  const flights = makeFlights(rng.fork('flights'), o.flights, o.startDate, o.days);
  const users = makeUsers(rng.fork('users'), ids, o.users);
  const reservations = makeReservations(rng.fork('reservations'), ids, o, flights, users);
  return new Map([
    ['flights', flights],
    ['reservations', reservations],
    ['users', users],
  ]);
}

function makeUsers(rng: Rng, ids: IdPool, n: number): Map<string, PyDict> {
  const users = new Map<string, PyDict>();
  const taken = new Set<string>();
  for (let i = 0; i < n; i++) {
    const p = makePerson(rng, taken);
    const methods: PyDict = new Map();
    const add = (kind: string, make: (id: string) => PyDict): void => {
      const id = ids.next((r) => `${kind}_${r.digits(7)}`);
      methods.set(id, make(id));
    };
    for (let k = rng.int(1, 2); k > 0; k--) add('credit_card', (id) => makeCard(rng, id));
    for (let k = rng.weighted([[0, 40], [1, 40], [2, 20]] as const); k > 0; k--) {
      add('gift_card', (id) => dict([['source', 'gift_card'], ['amount', rng.int(0, 300)], ['id', id]]));
    }
    for (let k = rng.weighted([[0, 45], [1, 35], [2, 20]] as const); k > 0; k--) {
      add('certificate', (id) => dict([['source', 'certificate'], ['amount', rng.int(1, 10) * 50], ['id', id]]));
    }
    const saved = Array.from({ length: rng.int(1, 2) }, () => passenger(rng));
    users.set(
      p.userId,
      dict([
        ['name', dict([['first_name', p.first], ['last_name', p.last]])],
        ['address', makeAddress(rng)],
        ['email', p.email],
        ['dob', makeDob(rng, 1950, 2002)],
        ['payment_methods', methods],
        ['saved_passengers', saved],
        ['membership', rng.weighted([['regular', 30], ['silver', 36], ['gold', 34]] as const)],
        ['reservations', []],
      ]),
    );
  }
  return users;
}

function passenger(rng: Rng, first?: string, last?: string, dob?: string): PyDict {
  return dict([
    ['first_name', first ?? rng.pick(FIRST_NAMES)],
    ['last_name', last ?? rng.pick(LAST_NAMES)],
    ['dob', dob ?? makeDob(rng, 1945, 2015)],
  ]);
}

/** One itinerary direction: a direct flight or two legs connecting the same day. */
function itinerary(rng: Rng, byOrigin: Map<string, PyDict[]>, from: PyDict | undefined, all: PyDict[]): PyDict[] {
  const first = from ?? rng.pick(all);
  if (rng.chance(0.7)) return [first];
  const arrive = minutesOf(str(first, 'scheduled_arrival_time_est'));
  const onward = (byOrigin.get(str(first, 'destination')) ?? []).filter(
    (f) => minutesOf(str(f, 'scheduled_departure_time_est')) >= arrive + 60 && str(f, 'destination') !== str(first, 'origin'),
  );
  return onward.length ? [first, rng.pick(onward)] : [first];
}

function makeReservations(
  rng: Rng,
  ids: IdPool,
  o: AirlineWorldOptions,
  flights: Map<string, PyDict>,
  users: Map<string, PyDict>,
): Map<string, PyDict> {
  const out = new Map<string, PyDict>();
  const all = [...flights.values()];
  const userIds = [...users.keys()];
  if (!all.length || !userIds.length) return out;
  const byOrigin = new Map<string, PyDict[]>();
  for (const f of all) byOrigin.set(str(f, 'origin'), [...(byOrigin.get(str(f, 'origin')) ?? []), f]);
  const byRoute = (a: string, b: string): PyDict[] => (byOrigin.get(a) ?? []).filter((f) => str(f, 'destination') === b);
  for (let i = 0; i < o.reservations; i++) {
    const id = ids.next((r) => Array.from({ length: 6 }, () => r.pick([...LETTERS])).join(''));
    const userId = rng.pick(userIds);
    const user = users.get(userId)!;
    const cabin = rng.pick(CABINS);
    const outbound = itinerary(rng, byOrigin, undefined, all);
    const origin = str(outbound[0]!, 'origin');
    const destination = str(outbound[outbound.length - 1]!, 'destination');
    const day0 = rng.int(0, o.days - 1);
    const legs: { f: PyDict; date: string }[] = outbound.map((f) => ({ f, date: addDays(o.startDate, day0) }));
    let flightType = 'one_way';
    const back = byRoute(destination, origin);
    if (rng.chance(0.5) && back.length && day0 + 1 < o.days) {
      const dayBack = rng.int(day0 + 1, Math.min(o.days - 1, day0 + 6));
      legs.push({ f: rng.pick(back), date: addDays(o.startDate, dayBack) });
      flightType = 'round_trip';
    }
    const segs = legs.map(({ f, date }) => {
      const entry = obj(obj(f, 'dates'), date);
      const prices = entry.get('prices');
      const price = prices instanceof Map ? num(prices, cabin) : rng.int(50, 100) + (cabin === 'business' ? rng.int(200, 450) : cabin === 'economy' ? rng.int(50, 150) : rng.int(0, 50));
      return dict([
        ['origin', str(f, 'origin')],
        ['destination', str(f, 'destination')],
        ['flight_number', str(f, 'flight_number')],
        ['date', date],
        ['price', price],
      ]);
    });
    const nPax = rng.weighted([[1, 40], [2, 30], [3, 18], [4, 8], [5, 4]] as const);
    const name = obj(user, 'name');
    const pax: PyValue[] = [];
    if (rng.chance(0.7)) pax.push(passenger(rng, str(name, 'first_name'), str(name, 'last_name'), str(user, 'dob')));
    for (const s of dicts(user, 'saved_passengers')) if (pax.length < nPax && rng.chance(0.5)) pax.push(new Map(s));
    while (pax.length < nPax) pax.push(passenger(rng));
    const insurance = rng.chance(0.5) ? 'yes' : 'no';
    const totalBags = rng.int(0, nPax * 2);
    const nonfree = rng.chance(0.8) ? 0 : rng.int(0, totalBags);
    const total = segs.reduce((s, f) => s + num(f, 'price'), 0) * nPax + (insurance === 'yes' ? 30 * nPax : 0) + 50 * nonfree;
    const payable = [...obj(user, 'payment_methods').values()].filter((m): m is PyDict => m instanceof Map && str(m, 'source') !== 'certificate');
    const created = stamp(addDays('2024-04-30', rng.int(0, 15)), rng.int(0, 1439));
    out.set(
      id,
      dict([
        ['reservation_id', id],
        ['user_id', userId],
        ['origin', origin],
        ['destination', destination],
        ['flight_type', flightType],
        ['cabin', cabin],
        ['flights', segs],
        ['passengers', pax],
        ['payment_history', [dict([['payment_id', str(rng.pick(payable), 'id')], ['amount', total]])]],
        ['created_at', created < '2024-05-15T15:00:00' ? created : '2024-05-15T14:00:00'],
        ['total_baggages', totalBags],
        ['nonfree_baggages', nonfree],
        ['insurance', insurance],
      ]),
    );
    (user.get('reservations') as PyValue[]).push(id);
  }
  return out;
}
