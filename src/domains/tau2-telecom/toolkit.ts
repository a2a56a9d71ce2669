/**
 * τ²-bench's `TelecomTools` helpers over an episode's carrier database: look-ups by id (a
 * linear scan, as upstream), the target-line check, bills awaiting payment and the one-time
 * charge that may open a new draft bill.
 */
import { valueError } from '../../py/errors.ts';
import { add, compare, contains, eq, iterate } from '../../py/ops.ts';
import { attr, construct } from '../../py/pydantic.ts';
import { dict, type PyDict, type PyValue } from '../../py/value.ts';
import type { Tau2Db } from '../../sandbox/tau2/db.ts';
import { fstr } from '../../sandbox/tau2/py.ts';
import { append } from '../airline/python.ts';
import { Bill, BillStatus, LineItem } from './models.ts';

export interface TelecomCtx {
  db: Tau2Db;
  /** `B{uuid4().hex[:8]}` upstream: random there, injectable here (replays use a fixed sequence). */
  newBillId: () => string;
}

export const CLASS = 'TelecomTools';
/** τ²'s fixed clock: today is 2025-02-25. */
export const TODAY = '2025-02-25';

function find(ctx: TelecomCtx, table: string, key: string, value: PyValue, mutable: boolean): PyDict | undefined {
  const coll = ctx.db.collection(table);
  const i = coll.values().findIndex((r) => eq(attr(r, key), value));
  if (i < 0) return undefined;
  return mutable ? coll.mut(String(i)) : coll.get(String(i));
}

export function getCustomerById(ctx: TelecomCtx, id: PyValue, mutable = false): PyDict {
  const c = find(ctx, 'customers', 'customer_id', id, mutable);
  if (!c) throw valueError(`Customer with ID ${fstr(id)} not found`);
  return c;
}

export function getLineById(ctx: TelecomCtx, id: PyValue, mutable = false): PyDict {
  const l = find(ctx, 'lines', 'line_id', id, mutable);
  if (!l) throw valueError(`Line with ID ${fstr(id)} not found`);
  return l;
}

export function getLineByPhone(ctx: TelecomCtx, phone: PyValue): PyDict {
  const l = find(ctx, 'lines', 'phone_number', phone, false);
  if (!l) throw valueError(`Line with phone number ${fstr(phone)} not found`);
  return l;
}

export function getPlanById(ctx: TelecomCtx, id: PyValue): PyDict {
  const p = find(ctx, 'plans', 'plan_id', id, false);
  if (!p) throw valueError(`Plan with ID ${fstr(id)} not found`);
  return p;
}

export function getDeviceById(ctx: TelecomCtx, id: PyValue): PyDict {
  const d = find(ctx, 'devices', 'device_id', id, false);
  if (!d) throw valueError(`Device with ID ${fstr(id)} not found`);
  return d;
}

export function getBillById(ctx: TelecomCtx, id: PyValue, mutable = false): PyDict {
  const b = find(ctx, 'bills', 'bill_id', id, mutable);
  if (!b) throw valueError(`Bill with ID ${fstr(id)} not found`);
  return b;
}

/** `get_customer_by_phone`: a customer whose own number or one of whose lines has the number. */
export function getCustomerByPhone(ctx: TelecomCtx, phone: PyValue): PyDict {
  for (const customer of ctx.db.collection('customers').values()) {
    if (eq(attr(customer, 'phone_number'), phone)) return customer;
    for (const lineId of iterate(attr(customer, 'line_ids'))) {
      if (eq(attr(getLineById(ctx, lineId), 'phone_number'), phone)) return customer;
    }
  }
  throw valueError(`Customer with phone number ${fstr(phone)} not found`);
}

/** `_get_target_line`: the line, if the customer owns it. */
export function getTargetLine(ctx: TelecomCtx, customerId: PyValue, lineId: PyValue, mutable = false): PyDict {
  const customer = getCustomerById(ctx, customerId);
  if (!contains(attr(customer, 'line_ids'), lineId)) throw valueError(`Line ${fstr(lineId)} not found for customer ${fstr(customerId)}`);
  return getLineById(ctx, lineId, mutable);
}

export function billsAwaitingPayment(ctx: TelecomCtx, customer: PyDict): PyDict[] {
  const out: PyDict[] = [];
  for (const billId of iterate(attr(customer, 'bill_ids'))) {
    const bill = getBillById(ctx, billId);
    if (eq(attr(bill, 'status'), BillStatus.AWAITING_PAYMENT)) out.push(bill);
  }
  return out;
}

export function setBillToPaid(ctx: TelecomCtx, billId: PyValue): void {
  getBillById(ctx, billId, true).set('status', BillStatus.PAID);
}

/** Adds a line item to the customer's draft bill, opening a draft for next month when there is none. */
export function applyOneTimeCharge(ctx: TelecomCtx, customerId: PyValue, amount: PyValue, description: PyValue): void {
  const customer = getCustomerById(ctx, customerId, true);
  let draft: PyDict | undefined;
  for (const billId of iterate(attr(customer, 'bill_ids'))) {
    const bill = getBillById(ctx, billId);
    if (eq(attr(bill, 'status'), BillStatus.DRAFT)) {
      draft = getBillById(ctx, billId, true);
      break;
    }
  }
  if (!draft) {
    const id = ctx.newBillId();
    draft = construct(
      Bill,
      dict([
        ['bill_id', id],
        ['customer_id', customerId],
        ['period_start', '2025-03-01'],
        ['period_end', '2025-03-31'],
        ['issue_date', '2025-03-01'],
        ['total_due', 0],
        ['due_date', '2025-03-15'],
        ['status', BillStatus.DRAFT],
      ]),
    );
    ctx.db.collection('bills').append(draft);
    append(attr(customer, 'bill_ids'), id);
  }
  const item = construct(
    LineItem,
    dict([
      ['description', description],
      ['amount', amount],
      ['date', TODAY],
      ['item_type', compare('<', amount, 0) ? 'Credit' : 'Charge'],
    ]),
  );
  append(attr(draft, 'line_items'), item);
  draft.set('total_due', add(attr(draft, 'total_due'), amount));
}

/** A random draft bill id as upstream makes them (`B` + 8 hex digits). */
export function randomBillId(): string {
  return 'B' + crypto.randomUUID().replaceAll('-', '').slice(0, 8);
}
