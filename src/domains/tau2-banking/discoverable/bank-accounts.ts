/** Bank account discoverable tools: credit limits decisions, opening, closing, transfers, credits, reports, listings. */
import { PyError } from '../../../py/errors.ts';
import { compare, eq, iterate, lessThan, truthy } from '../../../py/ops.ts';
import { pyRound } from '../../../py/float.ts';
import { pyStr } from '../../../py/repr.ts';
import { dict, PyFloat, type PyDict, type PyValue } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { addToDb, queryDatabaseTool, queryDb, rowFor, rowOf, table } from '../db.ts';
import { creditLimitRequestId, deterministicId } from '../ids.ts';
import { falsy, fixed, fstr, get, inList, lowerStr, replace, toFloat, upper } from '../py.ts';
import { constraint } from '../tools/base.ts';
import { discoverable, TODAY } from '../toolkit.ts';
import { accountBalance, listRepr, noRecords, parseBalance } from './common.ts';
import { tryFloat } from './credit-cards.ts';
import { ageDays, strptimeDays } from './dates.ts';

export const approveCreditLimitIncrease = discoverable('approve_credit_limit_increase_5847', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  const userId = arg(a, 'user_id');
  const limitArg = arg(a, 'new_credit_limit');
  if (falsy(account) || falsy(userId) || limitArg === null) return 'Error: Missing required parameters.';
  const cc = rowOf(ctx.db, 'credit_card_accounts', account);
  if (!cc) return `Error: Credit card account '${fstr(account)}' not found.`;
  if (!eq(get(cc, 'user_id'), userId)) return `Error: Credit card account '${fstr(account)}' does not belong to user '${fstr(userId)}'.`;
  let ineligible = false;
  for (const d of table(ctx.db, 'transaction_disputes').values()) {
    if (eq(get(d, 'user_id'), userId) && inList(get(d, 'status'), ['SUBMITTED', 'UNDER_REVIEW', 'PENDING'])) {
      ineligible = true;
      break;
    }
  }
  if (!ineligible) {
    for (const o of table(ctx.db, 'credit_card_orders').values()) {
      if (eq(get(o, 'credit_card_account_id'), account) && inList(get(o, 'status'), ['PENDING', 'PROCESSING', 'SHIPPED'])) {
        ineligible = true;
        break;
      }
    }
  }
  if (!ineligible && inList(upper(get(cc, 'account_status', '')), ['PAST_DUE', 'DELINQUENT', 'COLLECTIONS', 'CLOSED'])) ineligible = true;
  if (ineligible) return 'Error: Credit limit increase request cannot be approved at this time.';
  const current = tryFloat(replace(replace(pyStr(get(cc, 'credit_limit', '$0.00')), '$', ''), ',', '')) ?? new PyFloat(0);
  const newLimit = toFloat(limitArg);
  rowFor(ctx.db, 'credit_card_accounts', account)!.set('credit_limit', `$${fixed(newLimit)}`);
  const increase = new PyFloat(newLimit.value - current.value);
  const id = creditLimitRequestId(account, userId, increase);
  addToDb(ctx.db, 'credit_limit_increase_requests', id, dict([
    ['request_id', id],
    ['credit_card_account_id', account],
    ['user_id', userId],
    ['previous_limit', `$${fixed(current)}`],
    ['new_limit', `$${fixed(newLimit)}`],
    ['increase_amount', `$${fixed(increase)}`],
    ['decision_date', TODAY],
    ['status', 'APPROVED'],
  ]));
  return (
    `Credit limit increase approved!\n  - Account: ${fstr(account)}\n  - Previous Limit: $${fixed(current)}\n  - New Limit: $${fixed(newLimit)}\n` +
    `  - Increase: $${fixed(increase)}\n  - Effective Date: ${TODAY}\nThe customer will receive a confirmation email.`
  );
});

const DENIALS = [
  'insufficient_account_age',
  'cooldown_period_active',
  'pending_disputes',
  'pending_replacement_card',
  'past_due_balance',
  'high_utilization',
  'insufficient_payment_history',
  'requested_amount_exceeds_limit',
  'other',
];

export const denyCreditLimitIncrease = discoverable('deny_credit_limit_increase_5848', (ctx, a) => {
  const account = arg(a, 'credit_card_account_id');
  const userId = arg(a, 'user_id');
  const reason = arg(a, 'denial_reason');
  if (falsy(account) || falsy(userId) || falsy(reason)) return 'Error: Missing required parameters.';
  if (!inList(reason, DENIALS)) return `Error: Invalid denial_reason. Must be one of: ${DENIALS.join(', ')}`;
  if (!table(ctx.db, 'credit_card_accounts').has(account)) return `Error: Credit card account '${fstr(account)}' not found.`;
  const id = creditLimitRequestId(account, userId, new PyFloat(0));
  addToDb(ctx.db, 'credit_limit_increase_requests', id, dict([
    ['request_id', id],
    ['credit_card_account_id', account],
    ['user_id', userId],
    ['denial_reason', reason],
    ['decision_date', TODAY],
    ['status', 'DENIED'],
  ]));
  return `Credit limit increase request denied.\n  - Account: ${fstr(account)}\n  - Denial Reason: ${fstr(reason)}\n  - Date: ${TODAY}\nThe customer will receive a notification explaining the denial.`;
});

/** `get_account_age_days`: days since `date_opened` (0 when it does not parse). */
function accountAge(acc: PyDict): number {
  try {
    return ageDays(get(acc, 'date_opened', ''));
  } catch (e) {
    if (e instanceof PyError && e.pyType === 'ValueError') return 0;
    throw e;
  }
}

const typeOf = (acc: PyDict): PyValue => get(acc, 'account_type', get(acc, 'class', ''));

export const openBankAccount = discoverable('open_bank_account_4821', (ctx, a) => {
  const userId = arg(a, 'user_id');
  const type = arg(a, 'account_type');
  const klass = arg(a, 'account_class');
  if (falsy(userId) || falsy(type) || falsy(klass)) return 'Error: Missing required parameters.';
  const TYPES = ['checking', 'savings', 'business_checking', 'business_savings'];
  if (!inList(type, TYPES)) return `Error: Invalid account_type. Must be one of: ${listRepr(TYPES)}`;
  const mine = table(ctx.db, 'accounts').values().filter((acc) => eq(get(acc, 'user_id'), userId));
  const open = (acc: PyDict): boolean => inList(get(acc, 'status', ''), ['OPEN', 'ACTIVE']);
  const fail = 'Error: Account eligibility requirements not met.';
  if (eq(type, 'savings') && !mine.some((acc) => inList(typeOf(acc), ['checking', 'personal_checking']) && open(acc) && accountAge(acc) >= 14)) return fail;
  if (eq(type, 'business_checking')) {
    if (mine.some((acc) => eq(get(acc, 'status'), 'CLOSED'))) return fail;
    if (!mine.some((acc) => inList(typeOf(acc), ['checking', 'personal_checking']) && open(acc))) return fail;
  }
  if (eq(type, 'business_savings')) {
    for (const acc of mine) if (parseBalance(get(acc, 'current_holdings', get(acc, 'balance', 0))).value < 0) return fail;
    if (!mine.some((acc) => eq(typeOf(acc), 'business_checking') && open(acc) && accountAge(acc) >= 30)) return fail;
  }
  const id = deterministicId(`account:${fstr(userId)}:${fstr(type)}:${fstr(klass)}`);
  const ok = addToDb(ctx.db, 'accounts', id, dict([
    ['account_id', id],
    ['user_id', userId],
    ['account_type', type],
    ['account_class', klass],
    ['current_holdings', '0.00'],
    ['status', 'OPEN'],
    ['date_opened', TODAY],
  ]));
  if (!ok) return `Failed to open account: Account ID '${id}' may already exist.`;
  return (
    `Bank account opened successfully!\n  - Account ID: ${id}\n  - User ID: ${fstr(userId)}\n  - Account Type: ${fstr(type)}\n  - Account Class: ${fstr(klass)}\n` +
    `  - Status: OPEN\n  - Initial Balance: $0.00\n  - Date Opened: ${TODAY}`
  );
});

const CHECKING_CLOSURE: Record<string, [number, number]> = {
  'Light Blue Account': [15, 30],
  'Light Green Account': [15, 30],
  'Green Fee-Free Account': [15, 30],
  'Blue Account': [25, 60],
  'Green Account': [25, 60],
  'Evergreen Account': [50, 90],
  'Bluest Account': [100, 180],
};
const SAVINGS_CLOSURE: Record<string, [number, number]> = {
  'Bronze Account': [20, 60],
  'Silver Account': [35, 90],
  'Silver Plus Account': [35, 90],
  'Gold Account': [75, 180],
  'Gold Plus Account': [75, 180],
  'Gold Years Account': [75, 180],
  'Platinum Account': [150, 270],
  'Platinum Plus Account': [150, 270],
  'Diamond Elite Account': [150, 270],
};

export const closeBankAccount = discoverable('close_bank_account_7392', (ctx, a) => {
  const id = arg(a, 'account_id');
  const reason = arg(a, 'reason');
  const waive = arg(a, 'waive_early_closure_fee');
  if (falsy(id)) return 'Error: Missing required parameter (account_id).';
  const account = rowOf(ctx.db, 'accounts', id);
  if (!account) return `Error: Account '${fstr(id)}' not found.`;
  if (eq(get(account, 'status'), 'CLOSED')) return `Error: Account '${fstr(id)}' is already closed.`;
  const balance = accountBalance(account);
  let fee: PyValue = new PyFloat(0);
  if (!truthy(waive)) {
    const level = get(account, 'level', '');
    const klass = get(account, 'class', '');
    const opened = get(account, 'date_opened', '');
    const table0 = eq(klass, 'checking') ? CHECKING_CLOSURE : eq(klass, 'savings') ? SAVINGS_CLOSURE : undefined;
    const config = table0 && typeof level === 'string' ? table0[level] : undefined;
    if (config && truthy(opened)) {
      try {
        const age = ageDays(opened);
        if (age < config[1]) {
          if (balance.value < config[0]) return 'Error: Account unable to be closed.';
          fee = config[0];
        }
      } catch (e) {
        if (!(e instanceof PyError && e.pyType === 'ValueError')) throw e;
      }
    }
  }
  const remaining = balance.value - (fee instanceof PyFloat ? fee.value : Number(fee));
  if (remaining !== 0) return `Error: Account balance must be $0.00 before closing. Current balance: $${fixed(balance)}`;
  const own = rowFor(ctx.db, 'accounts', id)!;
  own.set('status', 'CLOSED');
  own.set('date_closed', TODAY);
  own.set('closure_reason', reason);
  own.set('early_closure_fee_waived', waive);
  return (
    `Bank account closed successfully!\n  - Account ID: ${fstr(id)}\n  - Account Type: ${fstr(get(own, 'account_type', 'N/A'))}\n` +
    `  - Account Class: ${fstr(get(own, 'account_class', 'N/A'))}\n  - Status: CLOSED\n  - Date Closed: ${TODAY}\n  - Reason: ${fstr(reason)}\n` +
    `  - Early Closure Fee Waived: ${truthy(waive) ? 'Yes' : 'No'}`
  );
});

export const getAllUserAccounts = discoverable('get_all_user_accounts_by_user_id_3847', (ctx, a) => {
  const userId = arg(a, 'user_id');
  if (falsy(userId)) return 'Error: Missing required parameter: user_id';
  const accounts = queryDatabaseTool(ctx.db, 'accounts', constraint('user_id', userId));
  const cards = queryDatabaseTool(ctx.db, 'credit_card_accounts', constraint('user_id', userId));
  const parts = ['User accounts retrieved successfully.', '', 'Executed: get_all_user_accounts_by_user_id_3847', `Accounts for user ${fstr(userId)}:`, '', 'Bank Accounts:'];
  parts.push(noRecords(accounts) ? '  No bank accounts found.' : accounts);
  parts.push('\nCredit Card Accounts:');
  parts.push(noRecords(cards) ? '  No credit card accounts found.' : cards);
  return parts.join('\n');
});

const active = (acc: PyDict): boolean => inList(get(acc, 'status'), ['ACTIVE', 'OPEN']);

export const transferFunds = discoverable('transfer_funds_between_bank_accounts_7291', (ctx, a) => {
  const src = arg(a, 'source_account_id');
  const dst = arg(a, 'destination_account_id');
  const raw = arg(a, 'amount');
  if (falsy(src) || falsy(dst) || raw === null) return 'Error: Missing required parameters (source_account_id, destination_account_id, amount).';
  const amount = tryFloat(raw);
  if (amount === undefined) return `Error: Invalid amount '${fstr(raw)}'. Must be a number.`;
  if (amount.value <= 0) return 'Error: Transfer amount must be positive.';
  if (eq(src, dst)) return 'Error: Source and destination accounts cannot be the same.';
  const accounts = table(ctx.db, 'accounts');
  if (!accounts.has(src)) return `Error: Source account '${fstr(src)}' not found.`;
  if (!accounts.has(dst)) return `Error: Destination account '${fstr(dst)}' not found.`;
  if (!active(accounts.get(src as string)!)) return `Error: Source account '${fstr(src)}' is not active.`;
  if (!active(accounts.get(dst as string)!)) return `Error: Destination account '${fstr(dst)}' is not active.`;
  const sb = accountBalance(accounts.get(src as string)!);
  if (sb.value < amount.value) return `Error: Insufficient funds. Source account balance is $${fixed(sb)}, but transfer amount is $${fixed(amount)}.`;
  const db0 = accountBalance(accounts.get(dst as string)!);
  const ns = new PyFloat(sb.value - amount.value);
  const nd = new PyFloat(db0.value + amount.value);
  accounts.mut(src as string)!.set('current_holdings', `$${fixed(ns)}`);
  accounts.mut(dst as string)!.set('current_holdings', `$${fixed(nd)}`);
  return (
    `Transfer completed successfully!\n  - Amount: $${fixed(amount)}\n  - From: ${fstr(src)} (new balance: $${fixed(ns)})\n` +
    `  - To: ${fstr(dst)} (new balance: $${fixed(nd)})`
  );
});

function applyCredit(tool: string, kinds: readonly string[], classes: readonly string[], notOk: string, prefix: string, dollar: string, describe: (k: string) => string) {
  return discoverable(tool, (ctx, a) => {
    const id = arg(a, 'account_id');
    const raw = arg(a, 'amount');
    const kind = arg(a, 'credit_type');
    if (falsy(id) || raw === null || falsy(kind)) return 'Error: Missing required parameters.';
    const amount = tryFloat(raw);
    if (amount === undefined) return 'Error: Invalid credit amount. Must be a number.';
    if (amount.value <= 0) return 'Error: Credit amount must be positive.';
    if (!inList(kind, kinds)) return `Error: Invalid credit_type. Must be one of: ${listRepr(kinds)}`;
    const account = rowOf(ctx.db, 'accounts', id);
    if (!account) return `Error: Account '${fstr(id)}' not found.`;
    if (!classes.includes(lowerStr(get(account, 'class', '')))) return `Error: Account '${fstr(id)}' ${notOk}`;
    if (!active(account)) return `Error: Account '${fstr(id)}' is not active.`;
    const current = accountBalance(account);
    const next = new PyFloat(current.value + amount.value);
    rowFor(ctx.db, 'accounts', id)!.set('current_holdings', `${dollar}${fixed(next)}`);
    const txn = `txn_${deterministicId(`${prefix}:${fstr(id)}:${fstr(kind)}:${fstr(amount)}:${TODAY}`)}`;
    table(ctx.db, 'bank_account_transaction_history').set(txn, dict([
      ['transaction_id', txn],
      ['account_id', id],
      ['date', TODAY],
      ['description', describe(kind as string)],
      ['amount', amount],
      ['type', kind],
      ['status', 'posted'],
    ]));
    return (
      `\nCredit applied successfully!\n  - Transaction ID: ${txn}\n  - Account: ${fstr(id)}\n  - Credit Type: ${fstr(kind)}\n  - Amount: $${fixed(amount)}\n` +
      `  - Previous Balance: $${fixed(current)}\n  - New Balance: $${fixed(next)}`
    );
  });
}

export const applyCheckingAccountCredit = applyCredit(
  'apply_checking_account_credit_5829',
  ['rebate_credit', 'fee_refund'],
  ['checking'],
  'is not a checking account. Credits can only be applied to checking accounts.',
  'checking_credit',
  '$',
  (k) => (k === 'rebate_credit' ? 'REBATE CREDIT - CUSTOMER SERVICE' : 'FEE REFUND - CUSTOMER SERVICE'),
);

export const applySavingsAccountCredit = applyCredit(
  'apply_savings_account_credit_6831',
  ['interest_correction', 'fee_refund', 'goodwill_credit'],
  ['saving', 'savings'],
  'is not a savings account. This tool only applies to savings accounts.',
  'savings_credit',
  '',
  (k) => (k === 'interest_correction' ? 'INTEREST CORRECTION - CUSTOMER SERVICE' : k === 'fee_refund' ? 'FEE REFUND - CUSTOMER SERVICE' : 'GOODWILL CREDIT - CUSTOMER SERVICE'),
);

export const submitInterestDiscrepancyReport = discoverable('submit_interest_discrepancy_report_7294', (ctx, a) => {
  const id = arg(a, 'account_id');
  const userId = arg(a, 'user_id');
  const [e0, a0, d0] = [arg(a, 'expected_apy'), arg(a, 'actual_apy'), arg(a, 'amount_difference')];
  if (falsy(id) || falsy(userId) || e0 === null || a0 === null || d0 === null) return 'Error: Missing required parameters.';
  const e = tryFloat(e0);
  const ac = e === undefined ? undefined : tryFloat(a0);
  const d = ac === undefined ? undefined : tryFloat(d0);
  if (e === undefined || ac === undefined || d === undefined) return 'Error: expected_apy, actual_apy, and amount_difference must be numbers.';
  const account = rowOf(ctx.db, 'accounts', id);
  if (!account) return `Error: Account '${fstr(id)}' not found.`;
  const user = rowOf(ctx.db, 'users', userId);
  if (!user) return `Error: User '${fstr(userId)}' not found.`;
  const reportId = `IDR_${deterministicId(`interest_report:${fstr(id)}:${fstr(userId)}:${fstr(e)}:${fstr(ac)}:${TODAY}`)}`;
  const diff = new PyFloat(pyRound(e.value - ac.value, 4));
  return (
    `\nInterest Discrepancy Report Submitted Successfully!\n  - Report ID: ${reportId}\n  - Account: ${fstr(id)} (${fstr(get(account, 'level', 'Unknown'))})\n` +
    `  - Customer: ${fstr(get(user, 'name', 'Unknown'))}\n  - Expected APY: ${fstr(e)}%\n  - Actual APY: ${fstr(ac)}%\n  - APY Difference: ${fstr(diff)}%\n` +
    `  - Amount Difference: $${fixed(d)}\n  - Status: PENDING_REVIEW\n\nThe backend team will investigate this discrepancy and ensure correct APY calculations are applied going forward.`
  );
});

/** `txn_sort_key`: the date with time, else the date, else the earliest possible. */
function txnKey(row: PyDict): number {
  const s = pyStr(get(row, 'date', ''));
  for (const withTime of [true, false]) {
    try {
      return strptimeDays(s, withTime);
    } catch (e) {
      if (!(e instanceof PyError && e.pyType === 'ValueError')) throw e;
    }
  }
  return -Infinity;
}

export const getBankAccountTransactions = discoverable('get_bank_account_transactions_9173', (ctx, a) => {
  const id = arg(a, 'account_id');
  if (falsy(id)) return 'Error: Missing required parameter: account_id';
  if (!table(ctx.db, 'accounts').has(id)) return `Error: Account '${fstr(id)}' not found.`;
  const txns = queryDb(ctx.db, 'bank_account_transaction_history', dict([['account_id', id]]));
  const keyed = txns.map((t, i) => ({ t, i, k: txnKey(t[1]) }));
  keyed.sort((x, y) => (y.k > x.k ? 1 : y.k < x.k ? -1 : x.i - y.i));
  const parts = ['Bank account transactions retrieved successfully.', '', 'Executed: get_bank_account_transactions_9173', `Transactions for account ${fstr(id)}:`];
  if (keyed.length > 0) {
    const lines = [`Found ${keyed.length} record(s) in 'bank_account_transaction_history':\n`];
    keyed.forEach(({ t: [rid, row] }, i) => {
      lines.push(`${i + 1}. Record ID: ${rid}`);
      for (const [k, v] of row) lines.push(`   ${k}: ${pyStr(v)}`);
      lines.push('');
    });
    parts.push(lines.join('\n'));
  } else parts.push('\nNo transactions found for this account.');
  return parts.join('\n');
});

export { compare, iterate, lessThan };
