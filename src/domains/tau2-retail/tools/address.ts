import { construct } from '../../../py/pydantic.ts';
import { dict, type PyDict } from '../../../py/value.ts';
import type { BoundArgs } from '../../../sandbox/tool.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { UserAddress } from '../models.ts';

/** `UserAddress(address1=…, address2=…, city=…, state=…, country=…, zip=…)` (keyword order as called). */
export function addressOf(args: BoundArgs): PyDict {
  return construct(
    UserAddress,
    dict((['address1', 'address2', 'city', 'state', 'country', 'zip'] as const).map((k) => [k, arg(args, k)])),
  );
}
