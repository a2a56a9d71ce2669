/** τ²-bench's `RetailTools` helpers over an episode's database, with their error texts. */
import { valueError } from '../../py/errors.ts';
import { count, iterate, lower } from '../../py/ops.ts';
import { attr, isInstance } from '../../py/pydantic.ts';
import type { PyDict, PyValue } from '../../py/value.ts';
import type { Tau2Db } from '../../sandbox/tau2/db.ts';
import { dictHas } from '../../sandbox/tau2/py.ts';
import { GiftCard } from './models.ts';

export interface RetailCtx {
  db: Tau2Db;
}

export const CLASS = 'RetailTools';

function lookup(ctx: RetailCtx, table: string, key: PyValue, message: string, mutable: boolean): PyDict {
  const coll = ctx.db.collection(table);
  if (!coll.has(key)) throw valueError(message);
  return (mutable ? coll.mut(key as string) : coll.get(key as string))!;
}

export const getOrder = (ctx: RetailCtx, id: PyValue, mutable = false): PyDict => lookup(ctx, 'orders', id, 'Order not found', mutable);
export const getUser = (ctx: RetailCtx, id: PyValue, mutable = false): PyDict => lookup(ctx, 'users', id, 'User not found', mutable);
export const getProduct = (ctx: RetailCtx, id: PyValue): PyDict => lookup(ctx, 'products', id, 'Product not found', false);

/** `_get_variant(product_id, variant_id)`. */
export function getVariant(ctx: RetailCtx, productId: PyValue, variantId: PyValue): PyDict {
  const variants = attr(getProduct(ctx, productId), 'variants') as PyDict;
  if (!dictHas(variants, variantId)) throw valueError('Variant not found');
  return variants.get(variantId) as PyDict;
}

/** `_get_payment_method(user_id, payment_method_id)` (from the episode's own user copy if `mutable`). */
export function getPaymentMethod(ctx: RetailCtx, userId: PyValue, paymentMethodId: PyValue, mutable = false): PyDict {
  const user = getUser(ctx, userId, mutable);
  const methods = attr(user, 'payment_methods') as PyDict;
  if (!dictHas(methods, paymentMethodId)) throw valueError('Payment method not found');
  return methods.get(paymentMethodId) as PyDict;
}

export const isGiftCard = (v: PyValue): boolean => isInstance(v, GiftCard);

/** The duplicate-aware check: each requested id at most as often as the order has it. */
export function checkItemCounts(order: PyDict, itemIds: PyValue, error: (id: PyValue) => Error): void {
  const all = iterate(attr(order, 'items')).map((item) => attr(item, 'item_id'));
  for (const id of iterate(itemIds)) if (count(itemIds, id) > count(all, id)) throw error(id);
}

/** `next((item for item in order.items if item.item_id == item_id), None)`. */
export function findItem(order: PyDict, itemId: PyValue, eq: (a: PyValue, b: PyValue) => boolean): PyDict | undefined {
  return iterate(attr(order, 'items')).find((item) => eq(attr(item, 'item_id'), itemId)) as PyDict | undefined;
}

export { lower };
