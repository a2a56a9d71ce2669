import { z } from 'zod';
import { contains, getItem, setItem } from '../../../py/ops.ts';
import { pyStr } from '../../../py/repr.ts';
import { deepCopy, type PyValue } from '../../../py/value.ts';
import type { Tool } from '../../../sandbox/tool.ts';
import { airlineSignature, arg } from '../signature.ts';

/** τ-bench assumes at most three certificates per task, with these fixed ids. */
const CERTIFICATE_IDS = ['certificate_3221322', 'certificate_3221323', 'certificate_3221324'] as const;

export const sendCertificate: Tool = {
  name: 'send_certificate',
  description: 'Send a certificate to a user. Be careful!',
  kind: 'write',
  schema: z.object({
    user_id: z.string().describe("The ID of the user to book the reservation, such as 'sara_doe_496'."),
    amount: z.number().describe('Certificate amount to send.'),
  }),
  py: airlineSignature('send_certificate', 'SendCertificate', ['user_id', 'amount']),
  run(world, args) {
    const users = world.table('users');
    const userId = arg(args, 'user_id');
    if (!users.has(userId)) return 'Error: user not found';
    const methods = getItem(users.get(userId), 'payment_methods');
    const amount = deepCopy(arg(args, 'amount'));
    for (const paymentId of CERTIFICATE_IDS) {
      if (contains(methods, paymentId)) continue;
      const certificate = new Map<string, PyValue>([
        ['source', 'certificate'],
        ['amount', amount],
        ['id', paymentId],
      ]);
      setItem(methods, paymentId, certificate);
      return `Certificate ${paymentId} added to user ${pyStr(userId)} with amount ${pyStr(amount)}.`;
    }
    // Upstream returns None here and Env.step then fails validating it, outside its try/except:
    // the episode would crash. We report it as an observation instead (a deliberate deviation).
    return `Error: send_certificate returned no observation: user ${pyStr(userId)} already holds ${CERTIFICATE_IDS.join(', ')} (tau-bench would crash here)`;
  },
};
