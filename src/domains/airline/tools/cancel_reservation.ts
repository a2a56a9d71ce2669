import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { getItem, iterate, setItem } from '../../../py/ops.ts';
import type { PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { extend, neg } from '../python.ts';
import { reservationIdSchema } from '../schemas.ts';
import { airlineSignature, arg } from '../signature.ts';

/**
 * Upstream behaviour kept: every payment is reversed in the history (even on an already
 * cancelled reservation) and nothing is refunded to gift cards.
 */
export const cancelReservation: Tool = {
  name: 'cancel_reservation',
  description: 'Cancel the whole reservation.',
  kind: 'write',
  schema: z.object({ reservation_id: reservationIdSchema }),
  py: airlineSignature('cancel_reservation', 'CancelReservation', ['reservation_id']),
  run(world, args) {
    const reservations = world.table('reservations');
    const id = arg(args, 'reservation_id');
    if (!reservations.has(id)) return 'Error: reservation not found';
    const reservation = reservations.get(id);
    const refunds: PyValue[] = [];
    for (const payment of iterate(getItem(reservation, 'payment_history'))) {
      refunds.push(
        new Map<string, PyValue>([
          ['payment_id', getItem(payment, 'payment_id')],
          ['amount', neg(getItem(payment, 'amount'))],
        ]),
      );
    }
    extend(getItem(reservation, 'payment_history'), refunds);
    setItem(reservation, 'status', 'cancelled');
    return dumps(reservation);
  },
};
