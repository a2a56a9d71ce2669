import { z } from 'zod';

/**
 * The structured intent of a generated task: what the simulated user knows, wants, will confirm
 * and will refuse. A scripted user simulator and an oracle agent follow it, so every
 * ground-truth argument is derivable from it or from a read tool's output.
 */
export const Identity = z.discriminatedUnion('method', [
  z.object({ method: z.literal('email'), email: z.string() }),
  z.object({ method: z.literal('name_zip'), first_name: z.string(), last_name: z.string(), zip: z.string() }),
  z.object({ method: z.literal('user_id'), user_id: z.string() }),
]);

export const Address = z.object({
  address1: z.string(),
  address2: z.string(),
  city: z.string(),
  state: z.string(),
  country: z.string(),
  zip: z.string(),
});

/** How the user names a payment method: its kind, plus what tells it apart from their others. */
export const PaymentRef = z.object({
  source: z.enum(['credit_card', 'paypal', 'gift_card', 'certificate']),
  last_four: z.string().optional(),
  /** Given only when the kind and last four digits do not single it out. */
  id: z.string().optional(),
});

/** An item as the user describes it: product name and option values. */
export const ItemRef = z.object({ product: z.string(), options: z.record(z.string(), z.string()) });
export const ItemChange = z.object({ item: ItemRef, to: z.record(z.string(), z.string()) });

/** An order the user knows by id, or only by the products in it. */
export const OrderRef = z.object({ order_id: z.string().optional(), products: z.array(z.string()) });

export const Passenger = z.object({ first_name: z.string(), last_name: z.string(), dob: z.string() });

/** What the agent must end up doing with a request under the policy. */
export const Outcome = z.enum(['performed', 'denied', 'transferred']);

const base = { outcome: Outcome };

const CancelOrderRequest = z.object({ ...base, type: z.literal('cancel_order'), order: OrderRef, reason: z.enum(['no longer needed', 'ordered by mistake']) });
/** Acting on an order that belongs to someone else (policy: one user per conversation). */
const OtherUsersOrderRequest = z.object({ ...base, type: z.literal('other_users_order'), order: OrderRef, wants: z.literal('cancel'), owner: z.string() });

export const RetailRequest = z.discriminatedUnion('type', [
  CancelOrderRequest,
  z.object({ ...base, type: z.literal('modify_order_address'), order: OrderRef, address: Address }),
  z.object({ ...base, type: z.literal('modify_order_payment'), order: OrderRef, payment: PaymentRef }),
  z.object({ ...base, type: z.literal('modify_order_items'), order: OrderRef, changes: z.array(ItemChange), payment: PaymentRef }),
  z.object({ ...base, type: z.literal('return_items'), order: OrderRef, items: z.array(ItemRef), refund_to: PaymentRef, ask_refund_total: z.boolean() }),
  z.object({ ...base, type: z.literal('exchange_items'), order: OrderRef, changes: z.array(ItemChange), payment: PaymentRef }),
  z.object({ ...base, type: z.literal('modify_user_address'), address: Address }),
  OtherUsersOrderRequest,
  /** Out of scope (refund while keeping damaged items): needs a human. */
  z.object({ ...base, type: z.literal('damaged_items_refund'), order: OrderRef, items: z.array(ItemRef) }),
]);

export const AirlineRequest = z.discriminatedUnion('type', [
  z.object({
    ...base,
    type: z.literal('book'),
    origin: z.string(),
    destination: z.string(),
    flight_type: z.enum(['one_way', 'round_trip']),
    date: z.string(),
    return_date: z.string().optional(),
    cabin: z.enum(['basic_economy', 'economy', 'business']),
    /** Which of the listed direct flights the user takes. */
    preference: z.enum(['cheapest', 'earliest']),
    passengers: z.array(Passenger),
    total_baggages: z.number().int(),
    insurance: z.enum(['yes', 'no']),
    payment: PaymentRef,
  }),
  z.object({ ...base, type: z.literal('change_flight_date'), reservation_id: z.string(), new_date: z.string(), preference: z.enum(['cheapest', 'earliest']), payment: PaymentRef }),
  z.object({ ...base, type: z.literal('change_cabin'), reservation_id: z.string(), cabin: z.enum(['basic_economy', 'economy', 'business']), payment: PaymentRef, ask_price_difference: z.boolean() }),
  z.object({ ...base, type: z.literal('add_bags'), reservation_id: z.string(), add: z.number().int(), payment: PaymentRef }),
  z.object({ ...base, type: z.literal('remove_bags'), reservation_id: z.string(), remove: z.number().int() }),
  z.object({ ...base, type: z.literal('replace_passenger'), reservation_id: z.string(), from: Passenger, to: Passenger }),
  z.object({ ...base, type: z.literal('cancel_reservation'), reservation_id: z.string(), reason: z.enum(['change of plan', 'airline cancelled flight', 'health', 'weather']) }),
  z.object({ ...base, type: z.literal('compensation'), reservation_id: z.string(), situation: z.literal('cancelled flight') }),
]);

/**
 * The starter store's requests: cancelling and acting on another user's order mean what they mean
 * in retail (same shapes), plus returning a whole delivered order (the user knows what they paid,
 * so a confirmation must carry the refund amount) and asking an order's status (no write; the
 * status word is the task's required output).
 */
export const StarterRequest = z.discriminatedUnion('type', [
  CancelOrderRequest,
  z.object({ ...base, type: z.literal('return_order'), order: OrderRef, amount: z.number().int() }),
  z.object({ ...base, type: z.literal('order_status'), order: OrderRef }),
  OtherUsersOrderRequest,
]);

export const Persona = z.object({
  /** How the user talks, in a phrase the instruction writer can quote. */
  tone: z.string(),
  /** Volunteers details up front, or answers only what is asked. */
  forthcoming: z.boolean(),
});

export const Intent = z.object({
  domain: z.enum(['retail', 'airline', 'starter']),
  /** Task kind(s), e.g. `cancel_order` or `cancel_order+return_items`. */
  kind: z.string(),
  user: z.object({ name: z.string(), identity: Identity }),
  requests: z.array(z.union([RetailRequest, AirlineRequest, StarterRequest])).min(1),
  /** Confirms a write when the agent's summary matches the request. */
  confirms: z.boolean(),
  /** What the user turns down if offered (alternatives they do not want). */
  refuses: z.array(z.string()),
  persona: Persona,
});

export type Intent = z.infer<typeof Intent>;
export type RetailRequest = z.infer<typeof RetailRequest>;
export type AirlineRequest = z.infer<typeof AirlineRequest>;
export type StarterRequest = z.infer<typeof StarterRequest>;
export type Request = RetailRequest | AirlineRequest | StarterRequest;
export type PaymentRef = z.infer<typeof PaymentRef>;
export type ItemRef = z.infer<typeof ItemRef>;
export type Address = z.infer<typeof Address>;
export type IdentityT = z.infer<typeof Identity>;
export type PassengerT = z.infer<typeof Passenger>;
