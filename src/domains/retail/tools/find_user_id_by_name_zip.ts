import { z } from 'zod';
import { eq, getItem, lower } from '../../../py/ops.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { FIRST_NAME_INDEX } from '../indexes.ts';
import { dictAt, signature } from './common.ts';

export const findUserIdByNameZip: Tool = {
  name: 'find_user_id_by_name_zip',
  description:
    'Find user id by first name, last name, and zip code. If the user is not found, the function will return an error message. By default, find user id by email, and only call this function if the user is not found by email or cannot remember email.',
  kind: 'read',
  schema: z.object({
    first_name: z.string().describe("The first name of the customer, such as 'John'."),
    last_name: z.string().describe("The last name of the customer, such as 'Doe'."),
    zip: z.string().describe("The zip code of the customer, such as '12345'."),
  }),
  py: signature('find_user_id_by_name_zip', 'FindUserIdByNameZip', ['first_name', 'last_name', 'zip']),
  run(world, { first_name, last_name, zip }) {
    // τ-bench evaluates `first == first_name.lower() and last == last_name.lower() and zip == zip`
    // per user in order: `first_name.lower()` runs on the first user, `last_name.lower()` only
    // once a first name matches, and zip is compared with Python `==` (no type check).
    if (world.keys('users').length === 0) return 'Error: user not found';
    const candidates = world.lookup('users', FIRST_NAME_INDEX, lower(first_name));
    if (candidates.length === 0) return 'Error: user not found';
    const wantLast = lower(last_name);
    const users = world.table('users');
    for (const id of candidates) {
      const profile = users.get(id);
      if (lower(getItem(dictAt(profile, 'name'), 'last_name')) !== wantLast) continue;
      if (eq(getItem(dictAt(profile, 'address'), 'zip'), zip)) return id;
    }
    return 'Error: user not found';
  },
};
