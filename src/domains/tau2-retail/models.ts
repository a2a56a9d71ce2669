/** τ²-bench's retail data model (pydantic), fields in declaration order. */
import { field, T, type ModelSpec } from '../../py/pydantic.ts';

const model = (name: string, fields: ModelSpec['fields']): ModelSpec => ({ name, fields, extra: 'ignore' });
const none = { default: () => null };

export const Variant = model('Variant', [
  field('item_id', T.str),
  field('options', T.dict(T.str)),
  field('available', T.bool),
  field('price', T.float),
]);
export const Product = model('Product', [field('name', T.str), field('product_id', T.str), field('variants', T.dict(T.model(() => Variant)))]);
export const UserName = model('UserName', [field('first_name', T.str), field('last_name', T.str)]);
export const UserAddress = model('UserAddress', [
  field('address1', T.str),
  field('address2', T.str),
  field('city', T.str),
  field('country', T.str),
  field('state', T.str),
  field('zip', T.str),
]);
export const CreditCard = model('CreditCard', [
  field('source', T.literal('credit_card')),
  field('id', T.str),
  field('brand', T.str),
  field('last_four', T.str),
]);
export const Paypal = model('Paypal', [field('source', T.literal('paypal')), field('id', T.str)]);
export const GiftCard = model('GiftCard', [field('source', T.literal('gift_card')), field('id', T.str), field('balance', T.float)]);
export const User = model('User', [
  field('user_id', T.str),
  field('name', T.model(() => UserName)),
  field('address', T.model(() => UserAddress)),
  field('email', T.str),
  field('payment_methods', T.dict(T.union(() => CreditCard, () => GiftCard, () => Paypal))),
  field('orders', T.list(T.str)),
]);
export const OrderFullfilment = model('OrderFullfilment', [field('tracking_id', T.list(T.str)), field('item_ids', T.list(T.str))]);
export const OrderItem = model('OrderItem', [
  field('name', T.str),
  field('product_id', T.str),
  field('item_id', T.str),
  field('price', T.float),
  field('options', T.dict(T.str)),
]);
export const OrderPayment = model('OrderPayment', [
  field('transaction_type', T.literal('payment', 'refund')),
  field('amount', T.float),
  field('payment_method_id', T.str),
]);
export const Order = model('Order', [
  field('order_id', T.str),
  field('user_id', T.str),
  field('address', T.model(() => UserAddress)),
  field('items', T.list(T.model(() => OrderItem))),
  field('status', T.literal('processed', 'pending', 'pending (item modified)', 'delivered', 'cancelled', 'exchange requested', 'return requested')),
  field('fulfillments', T.list(T.model(() => OrderFullfilment))),
  field('payment_history', T.list(T.model(() => OrderPayment))),
  field('cancel_reason', T.optional(T.literal('no longer needed', 'ordered by mistake')), none),
  field('exchange_items', T.optional(T.list(T.str)), none),
  field('exchange_new_items', T.optional(T.list(T.str)), none),
  field('exchange_payment_method_id', T.optional(T.str), none),
  field('exchange_price_difference', T.optional(T.float), none),
  field('return_items', T.optional(T.list(T.str)), none),
  field('return_payment_method_id', T.optional(T.str), none),
]);

export const RetailDB: ModelSpec = {
  name: 'RetailDB',
  extra: 'forbid',
  fields: [field('products', T.dict(T.model(() => Product))), field('users', T.dict(T.model(() => User))), field('orders', T.dict(T.model(() => Order)))],
};
