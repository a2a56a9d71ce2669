import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { airlineSignature, arg } from '../signature.ts';

export const getReservationDetails: Tool = {
  name: 'get_reservation_details',
  description: 'Get the details of a reservation.',
  kind: 'read',
  schema: z.object({ reservation_id: z.string().describe("The reservation id, such as '8JX2WO'.") }),
  py: airlineSignature('get_reservation_details', 'GetReservationDetails', ['reservation_id']),
  run(world, args) {
    const reservations = world.table('reservations');
    const id = arg(args, 'reservation_id');
    if (reservations.has(id)) return dumps(reservations.get(id));
    // Upstream says "user" for a missing reservation; the text is part of parity.
    return 'Error: user not found';
  },
};
