import { z } from 'zod';
import { dumps } from '../../../py/dumps.ts';
import type { PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { ADDRESS, ADDRESS_FIELDS, signature, USER_ID } from './common.ts';

export const modifyUserAddress: Tool = {
  name: 'modify_user_address',
  description:
    'Modify the default address of a user. The agent needs to explain the modification detail and ask for explicit user confirmation (yes/no) to proceed.',
  kind: 'write',
  schema: z.object({ user_id: USER_ID, ...ADDRESS }),
  py: signature('modify_user_address', 'ModifyUserAddress', ['user_id', ...ADDRESS_FIELDS]),
  run(world, args) {
    const users = world.table('users');
    if (!users.has(args.user_id)) return 'Error: user not found';
    const user = users.get(args.user_id);
    user.set('address', new Map(ADDRESS_FIELDS.map((f): [string, PyValue] => [f, args[f] ?? null])));
    return dumps(user);
  },
};
