import type { PyDict } from '../../py/value.ts';
import { act, type Piece } from '../draft.ts';
import { dicts, str } from '../record.ts';
import { NOW, NOW_DATE, addDays } from './calendar.ts';
import type { AirlineCtx } from './view.ts';

/** Cancellations (allowed, forbidden, or needing a human) and goodwill certificates. */

type Reason = 'change of plan' | 'airline cancelled flight' | 'health' | 'weather';

function airlineCancelled(ctx: AirlineCtx, r: PyDict): boolean {
  return dicts(r, 'flights').some((f) => ctx.v.entry(str(f, 'flight_number'), str(f, 'date'))?.get('status') === 'cancelled');
}

/** The reason under which the policy lets this reservation be cancelled, if any. */
function allowedReason(ctx: AirlineCtx, r: PyDict): Reason | undefined {
  if (airlineCancelled(ctx, r)) return 'airline cancelled flight';
  const dayAgo = `${addDays(NOW_DATE, -1)}T${NOW.slice(11)}`;
  if (str(r, 'created_at') >= dayAgo || str(r, 'cabin') === 'business') return 'change of plan';
  if (str(r, 'insurance') === 'yes') return ctx.rng.pick(['health', 'weather'] as const);
  return undefined;
}

function otherReservation(ctx: AirlineCtx, id: string): string {
  const mine = ctx.v.reservationsOf(ctx.userId).map((r) => str(r, 'reservation_id')).filter((x) => x !== id);
  return mine.length ? ctx.rng.pick(mine) : ctx.rng.pick([...ctx.v.reservations.keys()].filter((x) => x !== id));
}

/**
 * A cancellation request. Outcome by the rules: performed when a reason applies, denied when
 * none does (the API would still cancel), transferred when part of the trip is already flown.
 */
export function cancelReservation(ctx: AirlineCtx): Piece | null {
  const { rng } = ctx;
  const want = rng.weighted([['performed', 50], ['denied', 25], ['transferred', 25]] as const);
  const candidates = rng.shuffle(ctx.v.reservationsOf(ctx.userId).filter((r) => !ctx.used.has(str(r, 'reservation_id'))));
  for (const r of candidates) {
    const reservation_id = str(r, 'reservation_id');
    const dates = dicts(r, 'flights').map((f) => str(f, 'date'));
    const lookup = act('get_reservation_details', { reservation_id });
    if (want === 'transferred') {
      if (!(dates.some((d) => d < NOW_DATE) && dates.some((d) => d > NOW_DATE))) continue;
      ctx.used.add(reservation_id);
      return {
        request: { type: 'cancel_reservation', outcome: 'transferred', reservation_id, reason: 'change of plan' },
        reads: [lookup],
        writes: [act('transfer_to_human_agents', { summary: `User ${ctx.userId} wants to cancel reservation ${reservation_id}, part of which has already been flown.` })],
        outputs: [],
        twin: { extra: act('cancel_reservation', { reservation_id }) },
        difficulty: 2,
        needsProfile: false,
      };
    }
    if (!ctx.v.allFuture(r)) continue;
    const reason = allowedReason(ctx, r);
    if (want === 'performed' && reason) {
      ctx.used.add(reservation_id);
      return {
        request: { type: 'cancel_reservation', outcome: 'performed', reservation_id, reason },
        reads: [lookup],
        writes: [act('cancel_reservation', { reservation_id })],
        outputs: [],
        twin: { write: 0, action: act('cancel_reservation', { reservation_id: otherReservation(ctx, reservation_id) }) },
        difficulty: reason === 'change of plan' && str(r, 'cabin') !== 'business' ? 1 : 0,
        needsProfile: false,
      };
    }
    if (want === 'denied' && !reason) {
      ctx.used.add(reservation_id);
      return {
        request: { type: 'cancel_reservation', outcome: 'denied', reservation_id, reason: 'change of plan' },
        reads: [lookup],
        writes: [],
        outputs: [],
        twin: { extra: act('cancel_reservation', { reservation_id }) },
        difficulty: 2,
        needsProfile: false,
      };
    }
  }
  return null;
}

/**
 * A complaint about a cancelled flight with a request for compensation: a certificate of $100 per
 * passenger for silver/gold members, insured or business travellers; otherwise a refusal.
 */
export function compensation(ctx: AirlineCtx): Piece | null {
  const { v, rng, userId } = ctx;
  for (const r of rng.shuffle(v.reservationsOf(userId).filter((r) => !ctx.used.has(str(r, 'reservation_id')) && airlineCancelled(ctx, r)))) {
    const reservation_id = str(r, 'reservation_id');
    ctx.used.add(reservation_id);
    const n = dicts(r, 'passengers').length;
    const eligible = v.membership(userId) !== 'regular' || str(r, 'insurance') === 'yes' || str(r, 'cabin') === 'business';
    const amount = 100 * n;
    const reads = [act('get_reservation_details', { reservation_id })];
    if (!eligible) {
      return {
        request: { type: 'compensation', outcome: 'denied', reservation_id, situation: 'cancelled flight' },
        reads,
        writes: [],
        outputs: [],
        twin: { extra: act('send_certificate', { user_id: userId, amount }) },
        difficulty: 2,
        needsProfile: true,
      };
    }
    return {
      request: { type: 'compensation', outcome: 'performed', reservation_id, situation: 'cancelled flight' },
      reads: [...reads, act('calculate', { expression: `100 * ${n}` })],
      writes: [act('send_certificate', { user_id: userId, amount })],
      outputs: [],
      twin: { write: 0, action: act('send_certificate', { user_id: userId, amount: amount + 50 }) },
      difficulty: 1,
      needsProfile: true,
    };
  }
  return null;
}
