import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { eq, getItem } from '../../../py/ops.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { ORDER_ID, signature } from './common.ts';

/** Requests the return of a delivered order (the refund is its amount). No owner check, as for cancel. */
export const returnOrder: Tool = {
  name: 'return_order',
  description: 'Request the return of a delivered order.',
  kind: 'write',
  schema: z.object({ order_id: ORDER_ID }),
  py: signature('return_order', 'ReturnOrder', ['order_id']),
  run(world, { order_id }) {
    const orders = world.table('orders');
    if (!orders.has(order_id)) return 'Error: order not found';
    const order = orders.get(order_id);
    if (!eq(getItem(order, 'status'), 'delivered')) return 'Error: non-delivered order cannot be returned';
    order.set('status', 'return requested');
    return dumps(order);
  },
};
