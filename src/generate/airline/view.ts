import type { WorldData } from '../../domains/domain.ts';
import { isDict, type PyDict } from '../../py/value.ts';
import type { PaymentRef } from '../intent.ts';
import type { Rng } from '../prng.ts';
import { dicts, num, obj, str, strings } from '../record.ts';
import { NOW_DATE } from './calendar.ts';
import type { Cabin } from './flights.ts';

/** Free checked bags per passenger by membership and cabin (the booking rules of the policy). */
const FREE_BAGS: Readonly<Record<string, Readonly<Record<Cabin, number>>>> = {
  regular: { basic_economy: 0, economy: 1, business: 2 },
  silver: { basic_economy: 1, economy: 2, business: 3 },
  gold: { basic_economy: 2, economy: 3, business: 3 },
};

export function freeBags(membership: string, cabin: Cabin): number {
  return FREE_BAGS[membership]?.[cabin] ?? 0;
}

/** A flight as `search_direct_flight` lists it on one date. */
export interface Offer {
  flight_number: string;
  date: string;
  departure: string;
  price: number;
}

/** Read-only indexes over an airline world, plus gift-card money committed earlier in a task. */
export class AirlineView {
  readonly users: Map<string, PyDict>;
  readonly reservations: Map<string, PyDict>;
  readonly flights: Map<string, PyDict>;
  readonly userIds: string[];
  readonly spent = new Map<string, number>();

  constructor(data: WorldData) {
    this.users = data.get('users') ?? new Map();
    this.reservations = data.get('reservations') ?? new Map();
    this.flights = data.get('flights') ?? new Map();
    this.userIds = [...this.users.keys()];
  }

  user(id: string): PyDict {
    const u = this.users.get(id);
    if (!u) throw new Error(`no user ${id}`);
    return u;
  }

  reservationsOf(userId: string): PyDict[] {
    return strings(this.user(userId), 'reservations')
      .map((id) => this.reservations.get(id))
      .filter((r): r is PyDict => r !== undefined && r.get('status') !== 'cancelled');
  }

  /** The date entry of a flight, or undefined. */
  entry(flightNumber: string, date: string): PyDict | undefined {
    const f = this.flights.get(flightNumber);
    const d = f ? obj(f, 'dates').get(date) : undefined;
    return isDict(d) ? d : undefined;
  }

  /** Direct flights bookable on a date in a cabin for n passengers, in search order. */
  offers(origin: string, destination: string, date: string, cabin: Cabin, n: number): Offer[] {
    const out: Offer[] = [];
    for (const f of this.flights.values()) {
      if (str(f, 'origin') !== origin || str(f, 'destination') !== destination) continue;
      const e = this.entry(str(f, 'flight_number'), date);
      if (!e || e.get('status') !== 'available' || num(obj(e, 'available_seats'), cabin) < n) continue;
      out.push({ flight_number: str(f, 'flight_number'), date, departure: str(f, 'scheduled_departure_time_est'), price: num(obj(e, 'prices'), cabin) });
    }
    return out;
  }

  /** Whether every segment of a reservation is still ahead (nothing flown yet). */
  allFuture(res: PyDict): boolean {
    return dicts(res, 'flights').every((f) => str(f, 'date') > NOW_DATE);
  }

  methods(userId: string): PyDict[] {
    return [...obj(this.user(userId), 'payment_methods').values()].filter(isDict);
  }

  /** Methods that may pay `amount` for a change (no certificates; gift cards must cover it). */
  payers(userId: string, amount: number): PyDict[] {
    return this.methods(userId).filter((m) => {
      const source = str(m, 'source');
      if (source === 'certificate') return false;
      return source !== 'gift_card' || num(m, 'amount') - (this.spent.get(str(m, 'id')) ?? 0) >= amount;
    });
  }

  commit(method: PyDict, amount: number): void {
    if (str(method, 'source') === 'gift_card' && amount > 0) this.spent.set(str(method, 'id'), (this.spent.get(str(method, 'id')) ?? 0) + amount);
  }

  paymentRef(userId: string, methodId: string): PaymentRef {
    const all = this.methods(userId);
    const m = all.find((x) => str(x, 'id') === methodId);
    if (!m) throw new Error(`user ${userId} has no method ${methodId}`);
    const source = str(m, 'source') as PaymentRef['source'];
    if (source === 'credit_card') {
      const last = str(m, 'last_four');
      return all.filter((x) => x.get('last_four') === last).length > 1 ? { source, last_four: last, id: methodId } : { source, last_four: last };
    }
    return all.filter((x) => str(x, 'source') === source).length > 1 ? { source, id: methodId } : { source };
  }

  fullName(userId: string): string {
    const n = obj(this.user(userId), 'name');
    return `${str(n, 'first_name')} ${str(n, 'last_name')}`;
  }

  membership(userId: string): string {
    return str(this.user(userId), 'membership');
  }
}

export interface AirlineCtx {
  v: AirlineView;
  rng: Rng;
  userId: string;
  used: Set<string>;
}

export function flightArgs(res: PyDict): { flight_number: string; date: string }[] {
  return dicts(res, 'flights').map((f) => ({ flight_number: str(f, 'flight_number'), date: str(f, 'date') }));
}

/** The offer the user's preference singles out; undefined on a tie (the user could not choose). */
export function choose(offers: Offer[], preference: 'cheapest' | 'earliest'): Offer | undefined {
  const score = (o: Offer): string | number => (preference === 'cheapest' ? o.price : o.departure);
  const sorted = [...offers].sort((a, b) => (score(a) < score(b) ? -1 : score(a) > score(b) ? 1 : 0));
  if (!sorted.length || (sorted.length > 1 && score(sorted[0]!) === score(sorted[1]!))) return undefined;
  return sorted[0];
}
