import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { getItem, len, setItem } from '../../../py/ops.ts';
import { deepCopy } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { passengersSchema, reservationIdSchema } from '../schemas.ts';
import { airlineSignature, arg } from '../signature.ts';

/** Upstream checks only the passenger count; the new list is stored as given. */
export const updateReservationPassengers: Tool = {
  name: 'update_reservation_passengers',
  description: 'Update the passenger information of a reservation.',
  kind: 'write',
  schema: z.object({ reservation_id: reservationIdSchema, passengers: passengersSchema }),
  py: airlineSignature('update_reservation_passengers', 'UpdateReservationPassengers', ['reservation_id', 'passengers']),
  run(world, args) {
    const reservations = world.table('reservations');
    const id = arg(args, 'reservation_id');
    if (!reservations.has(id)) return 'Error: reservation not found';
    const reservation = reservations.get(id);
    const passengers = deepCopy(arg(args, 'passengers'));
    if (len(passengers) !== len(getItem(reservation, 'passengers'))) return 'Error: number of passengers does not match';
    setItem(reservation, 'passengers', passengers);
    return dumps(reservation);
  },
};
