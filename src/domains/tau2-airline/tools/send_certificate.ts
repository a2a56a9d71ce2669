import { valueError } from '../../../py/errors.ts';
import { attr, construct } from '../../../py/pydantic.ts';
import { dict, type PyDict } from '../../../py/value.ts';
import { arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { Certificate } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { CERTIFICATE_IDS, getUser, type AirlineCtx } from '../toolkit.ts';

export const sendCertificate = tau2Tool<AirlineCtx>({
  name: 'send_certificate',
  type: 'write',
  schema: SCHEMAS.send_certificate,
  run(ctx, args) {
    const userId = arg(args, 'user_id');
    const amount = arg(args, 'amount');
    getUser(ctx, userId);
    for (const n of CERTIFICATE_IDS) {
      const paymentId = `certificate_${n}`;
      if ((attr(getUser(ctx, userId), 'payment_methods') as PyDict).has(paymentId)) continue;
      const certificate = construct(Certificate, dict([['id', paymentId], ['amount', amount], ['source', 'certificate']]));
      (attr(getUser(ctx, userId, true), 'payment_methods') as PyDict).set(paymentId, certificate);
      return `Certificate ${paymentId} added to user ${fstr(userId)} with amount ${fstr(amount)}.`;
    }
    throw valueError('Too many certificates');
  },
});
