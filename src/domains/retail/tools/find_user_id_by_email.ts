import { z } from 'zod';
import { lower } from '../../../py/ops.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { EMAIL_INDEX } from '../indexes.ts';
import { signature } from './common.ts';

export const findUserIdByEmail: Tool = {
  name: 'find_user_id_by_email',
  description: 'Find user id by email. If the user is not found, the function will return an error message.',
  kind: 'read',
  schema: z.object({ email: z.string().describe("The email of the user, such as 'something@example.com'.") }),
  py: signature('find_user_id_by_email', 'FindUserIdByEmail', ['email']),
  run(world, { email }) {
    // τ-bench scans users in order comparing lowercased emails; `email.lower()` raises on the
    // first user, so a non-str fails whenever there is any user. The index gives the same
    // first match without parsing every profile.
    if (world.keys('users').length === 0) return 'Error: user not found';
    const [first] = world.lookup('users', EMAIL_INDEX, lower(email));
    return first ?? 'Error: user not found';
  },
};
