import type { Domain } from '../domain.ts';
import { cancelOrder } from './tools/cancel_order.ts';
import { getOrder } from './tools/get_order.ts';
import { getUser } from './tools/get_user.ts';
import { returnOrder } from './tools/return_order.ts';
import { transferToHumanAgents } from './tools/transfer_to_human_agents.ts';

/**
 * The starter store: the engine of the τ-bench worlds at a size a tiny model trained from
 * scratch on a CPU can learn — users (`u10`…`u99`) with 1–3 orders (`#100`…`#999`), each one
 * item with an amount in whole dollars and a status, and five tools (docs/dataset.md).
 */
export const starter: Domain = {
  name: 'starter',
  tables: ['users', 'orders'],
  tools: [getUser, getOrder, cancelOrder, returnOrder, transferToHumanAgents],
  indexes: {},
  // Its policy says "wait for a yes", and RL learned to write without one when only the database
  // was checked (docs/demo.md): here an unconfirmed write fails the episode.
  confirmWrites: true,
};
