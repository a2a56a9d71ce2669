import { act, assemble, drawPieces, type Draft, type DraftOptions, type KindTable } from '../draft.ts';
import type { Rng } from '../prng.ts';
import type { RetailCtx } from './context.ts';
import { exchangeItems, returnItems } from './delivered.ts';
import { cancelOrder, modifyOrderAddress, modifyOrderItems, modifyOrderPayment } from './pending.ts';
import { damagedItemsRefund, modifyUserAddress, otherUsersOrder } from './special.ts';
import type { RetailView } from './view.ts';

/** Request kinds and their share of single-request tasks. */
export const RETAIL_KINDS: KindTable<RetailCtx> = [
  ['cancel_order', cancelOrder, 14],
  ['modify_order_address', modifyOrderAddress, 10],
  ['modify_order_payment', modifyOrderPayment, 10],
  ['modify_order_items', modifyOrderItems, 12],
  ['return_items', returnItems, 14],
  ['exchange_items', exchangeItems, 12],
  ['modify_user_address', modifyUserAddress, 6],
  ['other_users_order', otherUsersOrder, 7],
  ['damaged_items_refund', damagedItemsRefund, 7],
];

/** Kinds that can be combined in a multi-request task (writes that end in the database). */
const COMBINABLE = new Set(['cancel_order', 'modify_order_address', 'modify_order_payment', 'modify_order_items', 'return_items', 'exchange_items', 'modify_user_address']);

/** Requests per task. */
const COUNTS = [[1, 75], [2, 20], [3, 5]] as const;

/** One retail task draft, or null when the drawn user cannot support the drawn kinds. */
export function draftRetailTask(v: RetailView, rng: Rng, opts: DraftOptions = {}): Draft | null {
  const userId = rng.pick(v.userIds);
  const ctx: RetailCtx = { v, rng, userId, used: new Set(), spent: new Map() };
  const pieces = drawPieces(rng, ctx, RETAIL_KINDS, COMBINABLE, COUNTS, opts);
  if (!pieces) return null;
  const { identity, auth } = v.identity(rng, userId);
  return assemble(userId, v.fullName(userId), identity, auth, act('get_user_details', { user_id: userId }), pieces, rng.int(0, pieces.length - 1));
}
