import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { signature, USER_ID } from './common.ts';

export const getUser: Tool = {
  name: 'get_user',
  description: "Get a user's name and order ids.",
  kind: 'read',
  schema: z.object({ user_id: USER_ID }),
  py: signature('get_user', 'GetUser', ['user_id']),
  run(world, { user_id }) {
    const users = world.table('users');
    return users.has(user_id) ? dumps(users.get(user_id)) : 'Error: user not found';
  },
};
