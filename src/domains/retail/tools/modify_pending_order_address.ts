import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import { eq, getItem } from '../../../py/ops.ts';
import type { PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { ADDRESS, ADDRESS_FIELDS, ORDER_ID, signature } from './common.ts';

export const modifyPendingOrderAddress: Tool = {
  name: 'modify_pending_order_address',
  description:
    'Modify the shipping address of a pending order. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  kind: 'write',
  schema: z.object({ order_id: ORDER_ID, ...ADDRESS }),
  py: signature('modify_pending_order_address', 'ModifyPendingOrderAddress', ['order_id', ...ADDRESS_FIELDS]),
  run(world, args) {
    const orders = world.table('orders');
    if (!orders.has(args.order_id)) return 'Error: order not found';
    const order = orders.get(args.order_id);
    if (!eq(getItem(order, 'status'), 'pending')) return 'Error: non-pending order cannot be modified';
    // Written in the tool's key order (…, state, country, zip), not the data file's.
    order.set('address', new Map(ADDRESS_FIELDS.map((f): [string, PyValue] => [f, args[f] ?? null])));
    return dumps(order);
  },
};
