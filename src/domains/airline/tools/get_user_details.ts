import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { airlineSignature, arg } from '../signature.ts';

export const getUserDetails: Tool = {
  name: 'get_user_details',
  description: 'Get the details of an user, including their reservations.',
  kind: 'read',
  schema: z.object({ user_id: z.string().describe("The user id, such as 'sara_doe_496'.") }),
  py: airlineSignature('get_user_details', 'GetUserDetails', ['user_id']),
  run(world, args) {
    const users = world.table('users');
    const userId = arg(args, 'user_id');
    if (users.has(userId)) return dumps(users.get(userId));
    return 'Error: user not found';
  },
};
