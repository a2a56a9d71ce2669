import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { signature, USER_ID } from './common.ts';

export const getUserDetails: Tool = {
  name: 'get_user_details',
  description: 'Get the details of a user, including their orders.',
  kind: 'read',
  schema: z.object({ user_id: USER_ID }),
  py: signature('get_user_details', 'GetUserDetails', ['user_id']),
  run(world, { user_id }) {
    const users = world.table('users');
    return users.has(user_id) ? dumps(users.get(user_id)) : 'Error: user not found';
  },
};
