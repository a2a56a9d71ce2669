/**
 * What the retail tools share: parameter descriptions as τ-bench publishes them, the Python
 * signature helper, and typed access to records with Python's errors on malformed values.
 */
import { z } from 'zod';
import { typeError } from '../../../py/errors.ts';
import { getItem } from '../../../py/ops.ts';
import { typeName, type PyDict, type PyList, type PyValue } from '../../../py/value.ts';
import type { PySignature } from '../../../sandbox/tool.ts';
import type { World } from '../../../sandbox/world.ts';

export const ORDER_ID = z
  .string()
  .describe("The order id, such as '#W0000000'. Be careful there is a '#' symbol at the beginning of the order id.");
export const USER_ID = z.string().describe("The user id, such as 'sara_doe_496'.");
export const PAYMENT_METHOD_ID = z
  .string()
  .describe(
    "The payment method id to pay or receive refund for the item price difference, such as 'gift_card_0000000' or 'credit_card_0000000'. These can be looked up from the user or order details.",
  );

/** The address fields, in the order the tools take them and write them. */
export const ADDRESS_FIELDS = ['address1', 'address2', 'city', 'state', 'country', 'zip'] as const;
export const ADDRESS = {
  address1: z.string().describe("The first line of the address, such as '123 Main St'."),
  address2: z.string().describe("The second line of the address, such as 'Apt 1' or ''."),
  city: z.string().describe("The city, such as 'San Francisco'."),
  state: z.string().describe("The state, such as 'CA'."),
  country: z.string().describe("The country, such as 'USA'."),
  zip: z.string().describe("The zip code, such as '12345'."),
};

/** τ-bench's class and module for a tool file (errors quote them). */
export function signature(file: string, className: string, params: readonly string[]): PySignature {
  return { className, module: `tau_bench.envs.retail.tools.${file}`, params };
}

/** `obj[key]` where the value must be a dict for the code that follows. */
export function dictAt(obj: PyValue | undefined, key: PyValue): PyDict {
  const v = getItem(obj, key);
  if (!(v instanceof Map)) throw typeError(`'${typeName(v)}' object is not subscriptable`);
  return v;
}

/** `obj[key]` where the value must be a list for the code that follows. */
export function listAt(obj: PyValue | undefined, key: PyValue): PyList {
  const v = getItem(obj, key);
  if (!Array.isArray(v)) throw typeError(`'${typeName(v)}' object is not iterable`);
  return v;
}

/** `data["users"][order["user_id"]]["payment_methods"]`. */
export function paymentMethodsOf(world: World, order: PyDict): PyDict {
  return dictAt(world.table('users').get(getItem(order, 'user_id')), 'payment_methods');
}
