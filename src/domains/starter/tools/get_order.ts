import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { ORDER_ID, signature } from './common.ts';

export const getOrder: Tool = {
  name: 'get_order',
  description: "Get an order's user, item, amount and status.",
  kind: 'read',
  schema: z.object({ order_id: ORDER_ID }),
  py: signature('get_order', 'GetOrder', ['order_id']),
  run(world, { order_id }) {
    const orders = world.table('orders');
    return orders.has(order_id) ? dumps(orders.get(order_id)) : 'Error: order not found';
  },
};
