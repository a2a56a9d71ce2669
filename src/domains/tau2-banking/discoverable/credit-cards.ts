/** Credit card discoverable tools: replacements, closures, flags, statement credits, payments, limits. */
import { compare, eq, truthy } from '../../../py/ops.ts';
import { dict, PyFloat, type PyValue } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { addToDb, rowFor, rowOf, table, updateRecord } from '../db.ts';
import { accountFlagId, closureReasonId, creditCardOrderId, creditLimitRequestId, transactionId } from '../ids.ts';
import { falsy, fixed, fstr, get, inList, replace, toFloat } from '../py.ts';
import { discoverable, TODAY } from '../toolkit.ts';
import { accountBalance, argsJson, commas, display, found, history, listRepr, pyIntOf } from './common.ts';
import { PyError } from '../../../py/errors.ts';

const REPLACEMENT_REASONS = ['fraud_suspected', 'lost', 'stolen', 'damaged', 'expired', 'other'];

export const orderReplacementCreditCard = discoverable('order_replacement_credit_card_7291', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  const userId = arg(a, 'user_id');
  const address = arg(a, 'shipping_address');
  const reason = arg(a, 'reason');
  const expedited = arg(a, 'expedited_shipping');
  if (falsy(account) || falsy(userId) || falsy(address) || falsy(reason)) {
    return 'Error: Missing required parameters (credit_card_account_id, user_id, shipping_address, reason).';
  }
  if (!inList(reason, REPLACEMENT_REASONS)) return `Error: Invalid reason. Must be one of: ${listRepr(REPLACEMENT_REASONS)}`;
  if (!found(ctx, 'credit_card_accounts', 'account_id', account)) return `Error: Credit card account '${fstr(account)}' not found.`;
  const orderId = creditCardOrderId(account, userId, reason);
  const record = dict([
    ['order_id', orderId],
    ['credit_card_account_id', account],
    ['user_id', userId],
    ['shipping_address', address],
    ['reason', reason],
    ['expedited_shipping', expedited],
    ['order_date', TODAY],
    ['status', 'ORDERED'],
    ['old_card_cancelled', true],
  ]);
  if (!addToDb(ctx.db, 'credit_card_orders', orderId, record)) return 'Error: Order may have already been placed for this card replacement.';
  const cc = rowFor(ctx.db, 'credit_card_accounts', account);
  if (cc) {
    cc.set('status', 'CLOSED');
    cc.set('closed_date', TODAY);
  }
  return [
    `Order ID: ${orderId}`,
    `Card Account: ${fstr(account)}`,
    `Reason: ${display(reason)}`,
    `Shipping Address: ${fstr(address)}`,
    `Shipping Method: ${truthy(expedited) ? 'Expedited' : 'Standard'}`,
    `Expected Delivery: ${truthy(expedited) ? '2-3 business days' : '7-10 business days'}`,
    '',
    'The old card has been cancelled for security. The new card will have the same account number but a new card number and CVV.',
  ].join('\n');
});

export const getUserDisputeHistory = discoverable('get_user_dispute_history_7291', (ctx, a) => {
  const userId = arg(a, 'user_id');
  if (falsy(userId)) return 'Error: Missing required parameter: user_id';
  return history(ctx, 'get_user_dispute_history_7291', 'transaction_disputes', 'user_id', userId, 'User transaction dispute history retrieved successfully.', 'Transaction dispute history for user', 'No transaction disputes found for this user.');
});

export const getPendingReplacementOrders = discoverable('get_pending_replacement_orders_5765', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  if (falsy(account)) return 'Error: Missing required parameter: credit_card_account_id';
  return history(ctx, 'get_pending_replacement_orders_5765', 'credit_card_orders', 'credit_card_account_id', account, 'Pending replacement orders check completed.', 'Replacement orders for credit card account', 'No pending replacement orders found for this credit card account.');
});

const CLOSURE_REASONS = ['annual_fee', 'not_using_card', 'found_better_card', 'unhappy_with_rewards', 'simplifying_finances', 'negative_experience', 'other'];

export const logCreditCardClosureReason = discoverable('log_credit_card_closure_reason_4521', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  const userId = arg(a, 'user_id');
  const reason = arg(a, 'closure_reason');
  if (falsy(account) || falsy(userId) || falsy(reason)) return 'Error: Missing required parameters.';
  if (!inList(reason, CLOSURE_REASONS)) return `Error: Invalid closure_reason. Must be one of: ${listRepr(CLOSURE_REASONS)}`;
  const id = closureReasonId(account, userId);
  addToDb(ctx.db, 'credit_card_closure_reasons', id, dict([
    ['record_id', id],
    ['credit_card_account_id', account],
    ['user_id', userId],
    ['closure_reason', reason],
    ['logged_at', TODAY],
    ['status', 'LOGGED'],
  ]));
  return (
    `Closure reason logged successfully.\n\nExecuted: log_credit_card_closure_reason_4521\n` +
    `Arguments: ${argsJson([['credit_card_account_id', account], ['user_id', userId], ['closure_reason', reason]])}\n` +
    `Closure reason '${fstr(reason)}' logged for account ${fstr(account)}.`
  );
});

export const getClosureReasonHistory = discoverable('get_closure_reason_history_8293', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  if (falsy(account)) return 'Error: Missing required parameter: credit_card_account_id';
  return history(ctx, 'get_closure_reason_history_8293', 'credit_card_closure_reasons', 'credit_card_account_id', account, 'Closure reason history retrieved successfully.', 'Closure reason history for credit card account', 'No closure reason records found for this credit card account.');
});

const CREDIT_REASONS = [
  'goodwill_adjustment',
  'promotional_credit',
  'annual_fee_reversal',
  'late_fee_reversal',
  'interest_charge_reversal',
  'dispute_resolution',
  'price_match',
  'retention_offer',
  'error_correction',
  'other',
];

export const applyStatementCredit = discoverable('apply_statement_credit_8472', (ctx, a) => {
  const userId = arg(a, 'user_id');
  const account = arg(a, 'credit_card_account_id');
  const amount = arg(a, 'amount');
  const reason = arg(a, 'reason');
  if (falsy(userId) || falsy(account) || amount === null || falsy(reason)) {
    return 'Error: Missing required parameters (user_id, credit_card_account_id, amount, reason).';
  }
  if (compare('<=', amount, 0)) return 'Error: Credit amount must be positive.';
  if (!inList(reason, CREDIT_REASONS)) return `Error: Invalid reason. Must be one of: ${listRepr(CREDIT_REASONS)}`;
  if (!found(ctx, 'credit_card_accounts', 'account_id', account)) return `Error: Credit card account '${fstr(account)}' not found.`;
  const txn = transactionId(userId, 'STATEMENT_CREDIT', reason, amount, 'Statement Credit');
  const ok = addToDb(ctx.db, 'credit_card_transaction_history', txn, dict([
    ['transaction_id', txn],
    ['user_id', userId],
    ['credit_card_account_id', account],
    ['credit_card_type', 'N/A'],
    ['merchant_name', 'Rho-Bank Statement Credit'],
    ['transaction_amount', `-$${fixed(amount)}`],
    ['transaction_date', TODAY],
    ['category', 'Statement Credit'],
    ['status', 'COMPLETED'],
    ['rewards_earned', '0 points'],
    ['credit_reason', reason],
  ]));
  if (!ok) return `Error: Failed to apply statement credit. Transaction ID '${txn}' may already exist.`;
  return (
    `Statement credit applied successfully.\n\nExecuted: apply_statement_credit_8472\n  - Transaction ID: ${txn}\n  - User ID: ${fstr(userId)}\n` +
    `  - Account: ${fstr(account)}\n  - Credit Amount: $${fixed(amount)}\n  - Reason: ${display(reason)}\n  - Date: ${TODAY}`
  );
});

const FLAG_TYPES = ['annual_fee_waived', 'promotional_apr', 'rewards_bonus', 'other'];
const FLAG_REASONS = ['retention_offer', 'loyalty_benefit', 'promotional', 'error_correction', 'other'];

export const applyCreditCardAccountFlag = discoverable('apply_credit_card_account_flag_6147', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  const userId = arg(a, 'user_id');
  const flag = arg(a, 'flag_type');
  const exp = arg(a, 'expiration_date');
  const reason = arg(a, 'reason');
  if (falsy(account) || falsy(userId) || falsy(flag) || falsy(exp) || falsy(reason)) {
    return 'Error: Missing required parameters (credit_card_account_id, user_id, flag_type, expiration_date, reason).';
  }
  if (!inList(flag, FLAG_TYPES)) return `Error: Invalid flag_type. Must be one of: ${listRepr(FLAG_TYPES)}`;
  if (!inList(reason, FLAG_REASONS)) return `Error: Invalid reason. Must be one of: ${listRepr(FLAG_REASONS)}`;
  if (!found(ctx, 'credit_card_accounts', 'account_id', account)) return `Error: Credit card account '${fstr(account)}' not found.`;
  const id = accountFlagId(account, flag, exp);
  const ok = addToDb(ctx.db, 'credit_card_account_flags', id, dict([
    ['flag_id', id],
    ['credit_card_account_id', account],
    ['user_id', userId],
    ['flag_type', flag],
    ['effective_date', TODAY],
    ['expiration_date', exp],
    ['reason', reason],
    ['applied_at', TODAY],
    ['status', 'ACTIVE'],
  ]));
  if (!ok) return `Error: Failed to apply account flag. Flag ID '${id}' may already exist.`;
  return (
    `Account flag applied successfully!\n  - Flag ID: ${id}\n  - Account: ${fstr(account)}\n  - User ID: ${fstr(userId)}\n  - Flag Type: ${display(flag)}\n` +
    `  - Effective Date: ${TODAY}\n  - Expiration Date: ${fstr(exp)}\n  - Reason: ${display(reason)}`
  );
});

export const closeCreditCardAccount = discoverable('close_credit_card_account_7834', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  const userId = arg(a, 'user_id');
  if (falsy(account) || falsy(userId)) return 'Error: Missing required parameters (credit_card_account_id, user_id).';
  if (!found(ctx, 'credit_card_accounts', 'account_id', account)) return `Error: Credit card account '${fstr(account)}' not found.`;
  const row = updateRecord(ctx.db, 'credit_card_accounts', account, [['status', 'CLOSED'], ['closed_date', TODAY], ['closed_by', userId]]);
  if (!row) return `Error: Failed to close credit card account '${fstr(account)}'.`;
  return (
    `Credit card account closed successfully.\n\nExecuted: close_credit_card_account_7834\n` +
    `Arguments: ${argsJson([['credit_card_account_id', account], ['user_id', userId]])}\nAccount ${fstr(account)} has been closed.`
  );
});

/** `float(x)` that reports failure (τ²'s `try: float(x) except (ValueError, TypeError)`). */
export function tryFloat(v: PyValue): PyFloat | undefined {
  try {
    return toFloat(v);
  } catch (e) {
    if (e instanceof PyError && (e.pyType === 'ValueError' || e.pyType === 'TypeError')) return undefined;
    throw e;
  }
}

export const payCreditCardFromChecking = discoverable('pay_credit_card_from_checking_9182', (ctx, a) => {
  const userId = arg(a, 'user_id');
  const checking = arg(a, 'checking_account_id');
  const ccId = arg(a, 'credit_card_account_id');
  const raw = arg(a, 'amount');
  if (falsy(userId) || falsy(checking) || falsy(ccId) || raw === null) {
    return 'Error: Missing required parameters (user_id, checking_account_id, credit_card_account_id, amount).';
  }
  const amount = tryFloat(raw);
  if (amount === undefined) return 'Error: Invalid payment amount. Must be a positive number.';
  if (amount.value <= 0) return 'Error: Payment amount must be a positive number.';
  const acct = rowOf(ctx.db, 'accounts', checking);
  if (!acct) return `Error: Checking account '${fstr(checking)}' not found.`;
  if (!eq(get(acct, 'user_id'), userId)) return `Error: Checking account '${fstr(checking)}' does not belong to user '${fstr(userId)}'.`;
  if (!eq(get(acct, 'class'), 'checking')) return `Error: Account '${fstr(checking)}' is not a checking account.`;
  const balance = accountBalance(acct);
  if (amount.value > balance.value) {
    return `Error: Insufficient funds in checking account. Available balance: $${fixed(balance)}, requested payment: $${fixed(amount)}.`;
  }
  const cc = rowOf(ctx.db, 'credit_card_accounts', ccId);
  if (!cc) return `Error: Credit card account '${fstr(ccId)}' not found.`;
  if (!eq(get(cc, 'user_id'), userId)) return `Error: Credit card account '${fstr(ccId)}' does not belong to user '${fstr(userId)}'.`;
  const ccBalance = tryFloat(replace(replace(fstr(get(cc, 'current_balance', '$0.00')), '$', ''), ',', '')) ?? new PyFloat(0);
  if (amount.value > ccBalance.value) {
    return `Error: Payment amount ($${fixed(amount)}) exceeds credit card balance ($${fixed(ccBalance)}). Please specify an amount up to the outstanding balance.`;
  }
  const newChecking = new PyFloat(balance.value - amount.value);
  const newCc = new PyFloat(ccBalance.value - amount.value);
  rowFor(ctx.db, 'accounts', checking)!.set('current_holdings', fixed(newChecking));
  rowFor(ctx.db, 'credit_card_accounts', ccId)!.set('current_balance', `$${fixed(newCc)}`);
  return (
    `Payment processed successfully!\n  - Payment Amount: $${fixed(amount)}\n  - From Checking Account: ${fstr(checking)}\n  - To Credit Card Account: ${fstr(ccId)}\n` +
    `  - New Checking Balance: $${fixed(newChecking)}\n  - New Credit Card Balance: $${fixed(newCc)}\nThe payment has been applied immediately.`
  );
});

export const submitCreditLimitIncreaseRequest = discoverable('submit_credit_limit_increase_request_7392', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  const userId = arg(a, 'user_id');
  const raw = arg(a, 'requested_increase_amount');
  if (falsy(account) || falsy(userId) || raw === null) return 'Error: Missing required parameters.';
  const f = tryFloat(raw);
  if (f === undefined) return 'Error: Invalid requested_increase_amount. Must be a whole number.';
  if (!Number.isInteger(f.value)) return 'Error: Invalid requested_increase_amount. Must be a whole number of dollars.';
  const amount = f.value;
  if (amount <= 0) return 'Error: Requested increase amount must be positive.';
  const cc = rowOf(ctx.db, 'credit_card_accounts', account);
  if (!cc) return `Error: Credit card account '${fstr(account)}' not found.`;
  if (!eq(get(cc, 'user_id'), userId)) return `Error: Credit card account '${fstr(account)}' does not belong to user '${fstr(userId)}'.`;
  const id = creditLimitRequestId(account, userId, amount);
  const ok = addToDb(ctx.db, 'credit_limit_increase_requests', id, dict([
    ['request_id', id],
    ['credit_card_account_id', account],
    ['user_id', userId],
    ['requested_increase_amount', amount],
    ['submitted_at', TODAY],
    ['status', 'PENDING'],
  ]));
  if (!ok) return 'Error: A similar request may already exist.';
  return (
    `Credit limit increase request submitted successfully.\n\nExecuted: submit_credit_limit_increase_request_7392\n  - Request ID: ${id}\n` +
    `  - Account: ${fstr(account)}\n  - Requested Increase: $${commas(amount)}\n  - Status: PENDING`
  );
});

export const getCreditLimitIncreaseHistory = discoverable('get_credit_limit_increase_history_4829', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  if (falsy(account)) return 'Error: Missing required parameter: credit_card_account_id';
  return history(ctx, 'get_credit_limit_increase_history_4829', 'credit_limit_increase_requests', 'credit_card_account_id', account, 'Credit limit increase history retrieved.', 'Credit limit increase history for account', 'No credit limit increase requests found for this account.');
});


export const getPaymentHistory = discoverable('get_payment_history_6183', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  const raw = arg(a, 'months');
  if (falsy(account) || raw === null) return 'Error: Missing required parameters (credit_card_account_id, months).';
  let months: number;
  try {
    months = pyIntOf(raw);
  } catch (e) {
    if (e instanceof PyError && (e.pyType === 'ValueError' || e.pyType === 'TypeError')) return 'Error: Invalid months value. Must be a positive integer.';
    throw e;
  }
  if (months <= 0) return 'Error: months must be a positive integer.';
  const payments = table(ctx.db, 'payment_history').values().filter((p) => eq(get(p, 'credit_card_account_id'), account));
  if (payments.length === 0) return `No payment history found for account '${fstr(account)}'.`;
  const keyed = payments.map((p, i) => ({ p, i, k: truthy(get(p, 'payment_date')) ? get(p, 'payment_date') : '' }));
  keyed.sort((x, y) => (compare('>', y.k, x.k) ? 1 : compare('<', y.k, x.k) ? -1 : x.i - y.i));
  const recent = keyed.slice(0, months).map((x) => x.p);
  let onTime = 0;
  for (const p of recent) {
    if (eq(get(p, 'status'), 'ON_TIME')) onTime++;
    else break;
  }
  const parts = [`Payment history for account '${fstr(account)}' (last ${months} months):`, `Consecutive on-time payments: ${onTime}`];
  for (const p of recent) parts.push(`\n  - Payment Date: ${fstr(get(p, 'payment_date'))}\n    Amount: ${fstr(get(p, 'amount'))}\n    Status: ${fstr(get(p, 'status'))}`);
  return parts.join('\n');
});
