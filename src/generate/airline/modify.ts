import type { PyDict } from '../../py/value.ts';
import { act, moneyText, type Piece } from '../draft.ts';
import { FIRST_NAMES, LAST_NAMES, makeDob } from '../people.ts';
import { dicts, num, obj, str } from '../record.ts';
import { NOW_DATE } from './calendar.ts';
import { CABINS, type Cabin } from './flights.ts';
import { choose, flightArgs, freeBags, type AirlineCtx } from './view.ts';

/** Changes to an existing reservation: flight date, cabin, bags, passengers. */

function fresh(ctx: AirlineCtx, ok: (r: PyDict) => boolean): PyDict[] {
  return ctx.rng.shuffle(ctx.v.reservationsOf(ctx.userId).filter((r) => !ctx.used.has(str(r, 'reservation_id')) && ok(r)));
}

function paxCount(r: PyDict): number {
  return dicts(r, 'passengers').length;
}

/** A one-way direct trip moved to another date (never basic economy: the policy forbids it). */
export function changeFlightDate(ctx: AirlineCtx): Piece | null {
  const { v, rng, userId } = ctx;
  for (const r of fresh(ctx, (r) => str(r, 'cabin') !== 'basic_economy' && str(r, 'flight_type') === 'one_way' && dicts(r, 'flights').length === 1 && v.allFuture(r))) {
    const seg = dicts(r, 'flights')[0]!;
    const cabin = str(r, 'cabin') as Cabin;
    const dates = [...obj(v.flights.get(str(seg, 'flight_number'))!, 'dates').keys()].filter((d) => d > NOW_DATE && d !== str(seg, 'date'));
    if (!dates.length) continue;
    const new_date = rng.pick(dates);
    const preference = rng.pick(['cheapest', 'earliest'] as const);
    const offer = choose(v.offers(str(seg, 'origin'), str(seg, 'destination'), new_date, cabin, paxCount(r)), preference);
    if (!offer) continue;
    const diff = (offer.price - num(seg, 'price')) * paxCount(r);
    const payers = v.payers(userId, diff);
    if (!payers.length) continue;
    const method = rng.pick(payers);
    v.commit(method, diff);
    const reservation_id = str(r, 'reservation_id');
    ctx.used.add(reservation_id);
    const flights = [{ flight_number: offer.flight_number, date: new_date }];
    const otherCabin = CABINS.find((c) => c !== cabin && c !== 'basic_economy') ?? 'business';
    return {
      request: { type: 'change_flight_date', outcome: 'performed', reservation_id, new_date, preference, payment: v.paymentRef(userId, str(method, 'id')) },
      reads: [act('get_reservation_details', { reservation_id }), act('search_direct_flight', { origin: str(seg, 'origin'), destination: str(seg, 'destination'), date: new_date })],
      writes: [act('update_reservation_flights', { reservation_id, cabin, flights, payment_id: str(method, 'id') })],
      outputs: [],
      twin: { write: 0, action: act('update_reservation_flights', { reservation_id, cabin: otherCabin, flights, payment_id: str(method, 'id') }) },
      difficulty: 1,
      needsProfile: true,
    };
  }
  return null;
}

/** Every segment re-priced in another cabin; the user may ask what the difference is. */
export function changeCabin(ctx: AirlineCtx): Piece | null {
  const { v, rng, userId } = ctx;
  for (const r of fresh(ctx, (r) => v.allFuture(r))) {
    const segs = dicts(r, 'flights');
    const n = paxCount(r);
    const cabin = rng.pick(CABINS.filter((c) => c !== str(r, 'cabin')));
    const entries = segs.map((s) => v.entry(str(s, 'flight_number'), str(s, 'date')));
    if (!entries.every((e) => e && e.get('status') === 'available' && num(obj(e, 'available_seats'), cabin) >= n)) continue;
    const newFare = entries.reduce((s, e) => s + num(obj(e!, 'prices'), cabin), 0);
    const oldFare = segs.reduce((s, f) => s + num(f, 'price'), 0);
    const diff = (newFare - oldFare) * n;
    if (diff === 0) continue;
    const payers = v.payers(userId, diff);
    if (!payers.length) continue;
    const method = rng.pick(payers);
    v.commit(method, diff);
    const reservation_id = str(r, 'reservation_id');
    ctx.used.add(reservation_id);
    const ask = rng.chance(0.4);
    const flights = flightArgs(r);
    const third = CABINS.find((c) => c !== cabin && c !== str(r, 'cabin'))!;
    const reads = [act('get_reservation_details', { reservation_id })];
    const searched = new Set<string>();
    for (const s of segs) {
      const args = { origin: str(s, 'origin'), destination: str(s, 'destination'), date: str(s, 'date') };
      const k = JSON.stringify(args);
      if (!searched.has(k)) reads.push(act('search_direct_flight', args));
      searched.add(k);
    }
    if (ask) reads.push(act('calculate', { expression: `(${entries.map((e) => num(obj(e!, 'prices'), cabin)).join(' + ')} - ${segs.map((f) => num(f, 'price')).join(' - ')}) * ${n}` }));
    return {
      request: { type: 'change_cabin', outcome: 'performed', reservation_id, cabin, payment: v.paymentRef(userId, str(method, 'id')), ask_price_difference: ask },
      reads,
      writes: [act('update_reservation_flights', { reservation_id, cabin, flights, payment_id: str(method, 'id') })],
      outputs: ask ? [moneyText(Math.abs(diff))] : [],
      twin: { write: 0, action: act('update_reservation_flights', { reservation_id, cabin: third, flights, payment_id: str(method, 'id') }) },
      difficulty: (segs.length > 2 ? 1 : 0) + (ask ? 1 : 0),
      needsProfile: true,
    };
  }
  return null;
}

/** Extra checked bags; the non-free count follows the membership and cabin allowance. */
export function addBags(ctx: AirlineCtx): Piece | null {
  const { v, rng, userId } = ctx;
  const allowance = (r: PyDict): number => freeBags(v.membership(userId), str(r, 'cabin') as Cabin) * paxCount(r);
  const consistent = (r: PyDict): boolean => num(r, 'nonfree_baggages') === Math.max(0, num(r, 'total_baggages') - allowance(r));
  for (const r of fresh(ctx, (r) => v.allFuture(r) && consistent(r))) {
    const add = rng.int(1, 3);
    const total = num(r, 'total_baggages') + add;
    const nonfree = Math.max(0, total - allowance(r));
    const cost = 50 * (nonfree - num(r, 'nonfree_baggages'));
    const payers = v.payers(userId, cost);
    if (!payers.length) continue;
    const method = rng.pick(payers);
    v.commit(method, cost);
    const reservation_id = str(r, 'reservation_id');
    ctx.used.add(reservation_id);
    const args = { reservation_id, total_baggages: total, nonfree_baggages: nonfree, payment_id: str(method, 'id') };
    return {
      request: { type: 'add_bags', outcome: 'performed', reservation_id, add, payment: v.paymentRef(userId, str(method, 'id')) },
      reads: [
        act('get_reservation_details', { reservation_id }),
        act('calculate', { expression: `${num(r, 'total_baggages')} + ${add}` }),
        ...(nonfree > 0 ? [act('calculate', { expression: `${total} - ${freeBags(v.membership(userId), str(r, 'cabin') as Cabin)} * ${paxCount(r)}` })] : []),
      ],
      writes: [act('update_reservation_baggages', args)],
      outputs: [],
      twin: { write: 0, action: act('update_reservation_baggages', { ...args, total_baggages: total + 1 }) },
      difficulty: cost > 0 ? 1 : 0,
      needsProfile: true,
    };
  }
  return null;
}

/** Removing checked bags: the API would lower the count, the policy does not allow it. */
export function removeBags(ctx: AirlineCtx): Piece | null {
  const { v, userId } = ctx;
  const card = v.methods(userId).find((m) => str(m, 'source') === 'credit_card');
  for (const r of fresh(ctx, (r) => num(r, 'total_baggages') > 0)) {
    if (!card) return null;
    const reservation_id = str(r, 'reservation_id');
    ctx.used.add(reservation_id);
    const total = num(r, 'total_baggages') - 1;
    return {
      request: { type: 'remove_bags', outcome: 'denied', reservation_id, remove: 1 },
      reads: [act('get_reservation_details', { reservation_id })],
      writes: [],
      outputs: [],
      twin: { extra: act('update_reservation_baggages', { reservation_id, total_baggages: total, nonfree_baggages: Math.min(total, num(r, 'nonfree_baggages')), payment_id: str(card, 'id') }) },
      difficulty: 1,
      needsProfile: false,
    };
  }
  return null;
}

/** One traveller swapped for another; the passenger count stays. */
export function replacePassenger(ctx: AirlineCtx): Piece | null {
  const { rng } = ctx;
  for (const r of fresh(ctx, (r) => ctx.v.allFuture(r))) {
    const pax = dicts(r, 'passengers').map((p) => ({ first_name: str(p, 'first_name'), last_name: str(p, 'last_name'), dob: str(p, 'dob') }));
    const i = rng.int(0, pax.length - 1);
    const from = pax[i]!;
    const to = { first_name: rng.pick(FIRST_NAMES), last_name: rng.pick(LAST_NAMES), dob: makeDob(rng, 1950, 2012) };
    if (pax.some((p) => p.first_name === to.first_name && p.last_name === to.last_name)) continue;
    const reservation_id = str(r, 'reservation_id');
    ctx.used.add(reservation_id);
    const passengers = pax.map((p, k) => (k === i ? to : p));
    const wrongDob = { ...to, dob: to.dob.slice(0, 8) + (to.dob.endsWith('01') ? '02' : '01') };
    return {
      request: { type: 'replace_passenger', outcome: 'performed', reservation_id, from, to },
      reads: [act('get_reservation_details', { reservation_id })],
      writes: [act('update_reservation_passengers', { reservation_id, passengers })],
      outputs: [],
      twin: { write: 0, action: act('update_reservation_passengers', { reservation_id, passengers: pax.map((p, k) => (k === i ? wrongDob : p)) }) },
      difficulty: pax.length > 2 ? 1 : 0,
      needsProfile: false,
    };
  }
  return null;
}
