import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { contains, eq, getItem } from '../../../py/ops.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { CANCEL_REASONS, ORDER_ID, signature } from './common.ts';

/**
 * Cancels a pending order and records the reason (so a cancellation for the wrong reason leaves
 * another database than the right one). It does not check who owns the order: acting on another
 * customer's order is a policy violation, not an API error.
 */
export const cancelOrder: Tool = {
  name: 'cancel_order',
  description: 'Cancel a pending order with a reason.',
  kind: 'write',
  schema: z.object({ order_id: ORDER_ID, reason: z.enum(CANCEL_REASONS).describe('Why the order is cancelled.') }),
  py: signature('cancel_order', 'CancelOrder', ['order_id', 'reason']),
  run(world, { order_id, reason }) {
    const orders = world.table('orders');
    if (!orders.has(order_id)) return 'Error: order not found';
    const order = orders.get(order_id);
    if (!eq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be cancelled';
    if (!contains([...CANCEL_REASONS], reason)) return 'Error: invalid reason';
    order.set('status', 'cancelled');
    order.set('cancel_reason', reason!);
    return dumps(order);
  },
};
