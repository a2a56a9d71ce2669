import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { ORDER_ID, signature } from './common.ts';

export const getOrderDetails: Tool = {
  name: 'get_order_details',
  description: 'Get the status and details of an order.',
  kind: 'read',
  schema: z.object({ order_id: ORDER_ID }),
  py: signature('get_order_details', 'GetOrderDetails', ['order_id']),
  run(world, { order_id }) {
    const orders = world.table('orders');
    return orders.has(order_id) ? dumps(orders.get(order_id)) : 'Error: order not found';
  },
};
