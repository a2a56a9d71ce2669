import { valueError } from '../../../py/errors.ts';
import { contains } from '../../../py/ops.ts';
import { attr, setAttr } from '../../../py/pydantic.ts';
import { arg, fstr } from '../../../sandbox/tau2/py.ts';
import { tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { BillStatus } from '../models.ts';
import { SCHEMAS } from '../schemas.ts';
import { billsAwaitingPayment, getBillById, getCustomerById, type TelecomCtx } from '../toolkit.ts';

export const sendPaymentRequest = tau2Tool<TelecomCtx>({
  name: 'send_payment_request',
  type: 'write',
  schema: SCHEMAS.send_payment_request,
  run(ctx, args) {
    const customerId = arg(args, 'customer_id');
    const billId = arg(args, 'bill_id');
    const customer = getCustomerById(ctx, customerId);
    if (billsAwaitingPayment(ctx, customer).length !== 0) throw valueError('A bill is already awaiting payment for this customer');
    if (!contains(attr(customer, 'bill_ids'), billId)) throw valueError(`Bill ${fstr(billId)} not found for customer ${fstr(customerId)}`);
    const bill = getBillById(ctx, billId, true);
    setAttr(bill, 'status', BillStatus.AWAITING_PAYMENT);
    return `Payment request sent to the customer for bill ${fstr(attr(bill, 'bill_id'))}`;
  },
});
