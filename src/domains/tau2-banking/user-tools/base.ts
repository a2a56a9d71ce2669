/** The banking user's tools (τ²'s `KnowledgeUserTools`) and its discoverable tools. */
import { createHash } from 'node:crypto';
import { PyError, typeError } from '../../../py/errors.ts';
import { checkHashable, compare, contains, count, mul } from '../../../py/ops.ts';
import { pyRepr } from '../../../py/repr.ts';
import { dict, PyFloat, type PyDict, type PyValue } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { tau2Tool, type Tau2Tool } from '../../../sandbox/tau2/tool.ts';
import { addToDb, queryDatabaseTool, rowFor, rowOf, table } from '../db.ts';
import { DISCOVERABLE } from '../discoverable-info.ts';
import { applicationId, disputeId, referralId, referralLinkId, transactionId, userDiscoverableToolCallId } from '../ids.ts';
import { fixed, fstr, get, inList, toFloat, truthy } from '../py.ts';
import { constraint, iterateArgs, parseArguments } from '../tools/base.ts';
import { callWithKwargs } from '../tools/discoverable-calls.ts';
import { discoverable, TODAY, type BankingCtx } from '../toolkit.ts';
import { USER_SCHEMAS as S } from '../user-schemas.ts';
import { argsJson, noRecords, pyIntOf } from '../discoverable/common.ts';
import { tryFloat } from '../discoverable/credit-cards.ts';

/** `_check_tool_given`: an error text unless the agent gave the tool. */
function notGiven(ctx: BankingCtx, name: string): string | null {
  const r = queryDatabaseTool(ctx.db, 'user_discoverable_tools', constraint('tool_name', name));
  if (r.includes('No records found')) {
    return `Error: Tool '${name}' has not been given to you by the agent. The agent must first use \`give_discoverable_user_tool\` to give this tool to you.`;
  }
  return null;
}

/** `_log_user_tool_call`. */
function logCall(ctx: BankingCtx, name: string, args: PyDict): void {
  const id = userDiscoverableToolCallId(name, args);
  addToDb(ctx.db, 'user_discoverable_tool_calls', id, dict([['tool_name', name], ['arguments', args], ['called_at', TODAY], ['status', 'CALLED']]));
}

export const submitCashBackDispute = discoverable('submit_cash_back_dispute_0589', (ctx, a) => {
  const err = notGiven(ctx, 'submit_cash_back_dispute_0589');
  if (err) return err;
  const args = dict([['user_id', arg(a, 'user_id')], ['transaction_id', arg(a, 'transaction_id')]]);
  logCall(ctx, 'submit_cash_back_dispute_0589', args);
  const id = disputeId(arg(a, 'user_id'), arg(a, 'transaction_id'));
  let auto: PyValue = false;
  const config = table(ctx.db, 'task_config');
  if (config.size > 0) auto = get(config.get('dispute_settings') ?? new Map(), 'auto_resolve_disputes', false);
  const base: [string, PyValue][] = [['dispute_id', id], ['user_id', arg(a, 'user_id')], ['transaction_id', arg(a, 'transaction_id')], ['submitted_at', TODAY]];
  const record = truthy(auto) ? dict([...base, ['status', 'RESOLVED'], ['resolution', 'APPROVED']]) : dict([...base, ['status', 'SUBMITTED']]);
  const status = truthy(auto)
    ? 'Status: RESOLVED - The dispute has been reviewed and approved. The transaction rewards need to be updated.'
    : 'Status: SUBMITTED - Your dispute has been queued for review.';
  const ok = addToDb(ctx.db, 'cash_back_disputes', id, record);
  let out = `Cash back dispute submitted successfully. Your case has been queued for review.\n\nExecuted: submit_cash_back_dispute_0589\nArguments: ${argsJson([...args])}\n`;
  out += ok ? `Dispute ID: ${id}\n${status}` : 'Note: Dispute may have already been submitted for this transaction.';
  return out;
});

export const getReferralLink = discoverable('get_referral_link', (ctx, a) => {
  const err = notGiven(ctx, 'get_referral_link');
  if (err) return err;
  const args = dict([['user_id', arg(a, 'user_id')], ['card_name', arg(a, 'card_name')]]);
  logCall(ctx, 'get_referral_link', args);
  const id = referralLinkId(arg(a, 'user_id'), arg(a, 'card_name'));
  const ok = addToDb(ctx.db, 'referrals', id, dict([
    ['referral_id', id],
    ['referrer_id', arg(a, 'user_id')],
    ['referred_account_type', arg(a, 'card_name')],
    ['referral_status', 'NO_PROGRESS'],
    ['date', TODAY],
  ]));
  let out = `Referral link generated successfully. Share this link with the person you want to refer.\n\nExecuted: get_referral_link\nArguments: ${argsJson([...args])}\n`;
  out += ok ? `Referral ID: ${id}\nReferral link: https://rhobank.com/refer/${id}` : 'Note: A referral link for this card may have already been generated.';
  return out;
});

export const getCardLast4 = discoverable('get_card_last_4_digits', (ctx, a) => {
  const err = notGiven(ctx, 'get_card_last_4_digits');
  if (err) return err;
  const account = arg(a, 'credit_card_account_id');
  const args = dict([['credit_card_account_id', account]]);
  logCall(ctx, 'get_card_last_4_digits', args);
  if (noRecords(queryDatabaseTool(ctx.db, 'credit_card_accounts', constraint('account_id', account)))) return `Error: Credit card account '${fstr(account)}' not found.`;
  const digest = createHash('sha256').update(`card_last4:${fstr(account)}`).digest('hex');
  const last4 = [...digest].filter((c) => /\d/.test(c)).slice(0, 4).join('').padEnd(4, '0');
  return `Card information retrieved successfully.\n\nExecuted: get_card_last_4_digits\nArguments: ${argsJson([...args])}\nLast 4 digits of card: ${last4}`;
});

export const depositCheck = discoverable('deposit_check_3847', (ctx, a) => {
  const err = notGiven(ctx, 'deposit_check_3847');
  if (err) return err;
  const accountId = arg(a, 'account_id');
  const raw = arg(a, 'check_amount');
  const args = dict([['account_id', accountId], ['check_amount', raw]]);
  logCall(ctx, 'deposit_check_3847', args);
  const amount = tryFloat(raw);
  if (amount === undefined) return `Error: Invalid check amount '${fstr(raw)}'. Must be a number.`;
  if (amount.value <= 0) return 'Error: Check amount must be positive.';
  const account = rowOf(ctx.db, 'accounts', accountId);
  if (!account) return `Error: Account '${fstr(accountId)}' not found.`;
  if (!inList(get(account, 'status'), ['ACTIVE', 'OPEN'])) return `Error: Account '${fstr(accountId)}' is not active.`;
  const v = get(account, 'current_holdings', get(account, 'balance', 0));
  const current =
    typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof PyFloat
      ? toFloat(v)
      : typeof v === 'string'
        ? toFloat(v.replaceAll('$', '').replaceAll(',', ''))
        : new PyFloat(0);
  const next = new PyFloat(current.value + amount.value);
  rowFor(ctx.db, 'accounts', accountId)!.set('current_holdings', `$${fixed(next)}`);
  return (
    `Check deposited successfully. Funds will be available according to your account's deposit policy.\n\nExecuted: deposit_check_3847\nArguments: ${argsJson([...args])}\n` +
    `Check deposit processed!\n  - Account: ${fstr(accountId)}\n  - Check Amount: $${fixed(amount)}\n  - Previous Balance: $${fixed(current)}\n  - New Balance: $${fixed(next)}`
  );
});

const CARD_TYPES = [
  'Bronze Rewards Card',
  'Business Bronze Rewards Card',
  'Business Gold Rewards Card',
  'Business Platinum Rewards Card',
  'Business Silver Rewards Card',
  'Crypto-Cash Back',
  'Diamond Elite Card',
  'EcoCard',
  'Gold Rewards Card',
  'Green Rewards Card',
  'Platinum Rewards Card',
  'Silver Rewards Card',
  'Silver Zoom Card',
];

export const applyForCreditCard = tau2Tool<BankingCtx>({
  name: 'apply_for_credit_card',
  type: 'write',
  schema: S.apply_for_credit_card,
  run(ctx, a) {
    const cardType = arg(a, 'card_type');
    const name = arg(a, 'customer_name');
    const rho = arg(a, 'rho_bank_subscription');
    if (!inList(cardType, CARD_TYPES)) return `Error: Invalid card_type '${fstr(cardType)}'. Must be one of: ${pyRepr(CARD_TYPES)}`;
    const income = tryFloat(arg(a, 'annual_income'));
    if (income === undefined) return 'Error: Invalid annual_income. Must be a number.';
    const id = applicationId(cardType, name, income, rho);
    const ok = addToDb(ctx.db, 'credit_card_applications', id, dict([
      ['application_id', id],
      ['card_type', cardType],
      ['customer_name', name],
      ['annual_income', income],
      ['rho_bank_subscription', rho],
      ['status', 'PENDING'],
      ['date', TODAY],
    ]));
    if (!ok) return `Failed to submit application: Record ID '${id}' may already exist.`;
    return 'Credit card application submitted:\nYour application has been successfully submitted. You will receive a decision within 5-7 business days via email.';
  },
});

export const submitReferral = tau2Tool<BankingCtx>({
  name: 'submit_referral',
  type: 'write',
  schema: S.submit_referral,
  run(ctx, a) {
    const userId = arg(a, 'user_id');
    const type = arg(a, 'account_type');
    const id = referralId(userId, type);
    const ok = addToDb(ctx.db, 'referrals', id, dict([
      ['referral_id', id],
      ['referrer_id', userId],
      ['referred_account_type', type],
      ['referral_status', 'NO_PROGRESS'],
      ['date', TODAY],
    ]));
    if (!ok) return `Failed to submit referral: Record ID '${id}' may already exist.`;
    return (
      `Referral request submitted successfully!\n  - Referral ID: ${id}\n  - Referrer ID: ${fstr(userId)}\n  - Account Type: ${fstr(type)}\n  - Status: NO_PROGRESS\n  - Date: ${TODAY}\n\n` +
      `Share your referral ID with the person you're referring. They will need to use this when applying for their account.`
    );
  },
});

export const USER_DISCOVERABLE: readonly Tau2Tool<BankingCtx>[] = [submitCashBackDispute, getReferralLink, getCardLast4, depositCheck];

export const callDiscoverableUserTool = tau2Tool<BankingCtx>({
  name: 'call_discoverable_user_tool',
  type: 'write',
  schema: S.call_discoverable_user_tool,
  run(ctx, a) {
    const name = arg(a, 'discoverable_tool_name');
    checkHashable(name);
    const tool = USER_DISCOVERABLE.find((t) => t.name === name);
    if (!tool) return `Error: Unknown discoverable tool '${fstr(name)}'.`;
    const parsed = parseArguments(arg(a, 'arguments'), true);
    if (!parsed.ok) return parsed.error;
    const args = parsed.value;
    const info = DISCOVERABLE[tool.name]!;
    for (const p of info.params) {
      if (Object.hasOwn(info.defaults, p)) continue;
      if (!contains(args, p)) return `Error: Missing required parameter: ${p}`;
    }
    for (const k of iterateArgs(args)) {
      checkHashable(k);
      if (!(typeof k === 'string' && info.params.includes(k))) return `Error: Unexpected parameter: ${fstr(k)}`;
    }
    try {
      return callWithKwargs(tool, ctx, 'KnowledgeUserTools', args);
    } catch (e) {
      if (e instanceof PyError && e.pyType === 'TypeError') return `Error: Invalid arguments for tool '${tool.name}': ${e.pyMessage}`;
      throw e;
    }
  },
});

export const listDiscoverableUserTools = tau2Tool<BankingCtx>({
  name: 'list_discoverable_user_tools',
  type: 'read',
  schema: S.list_discoverable_user_tools,
  run: (ctx) => `Tools given to you by the agent:\n${queryDatabaseTool(ctx.db, 'user_discoverable_tools', '{}')}`,
});

export const requestHumanAgentTransfer = tau2Tool<BankingCtx>({
  name: 'request_human_agent_transfer',
  type: 'write',
  schema: S.request_human_agent_transfer,
  run(ctx) {
    const existing = queryDatabaseTool(ctx.db, 'human_transfer_requests', '{}');
    const n = existing.includes('No records found') || existing.includes('No results found') ? 1 : count(existing, 'request_id') + 1;
    const id = `transfer_request_${n}`;
    addToDb(ctx.db, 'human_transfer_requests', id, dict([['request_id', id], ['request_number', n], ['requested_at', TODAY], ['status', 'PENDING']]));
    return `Transfer request #${n} submitted.\nThe agent will process your request.`;
  },
});

const REWARDS: Record<string, Record<string, number>> = {
  'Bronze Rewards Card': { default: 1.0 },
  'Silver Rewards Card': { Travel: 4.0, Software: 4.0, default: 1.0 },
  'Gold Rewards Card': { default: 2.5 },
  'Platinum Rewards Card': { default: 10.0 },
  'Business Bronze Rewards Card': { default: 1.0 },
  'Business Silver Rewards Card': { Travel: 10.0, Software: 10.0, default: 1.0 },
  'Green Rewards Card': { Sustainable: 3.0, default: 1.0 },
  'Business Gold Rewards Card': { Operations: 2.5, default: 1.0 },
  'Business Platinum Rewards Card': { Travel: 4.0, Software: 4.0, Media: 4.0, default: 1.5 },
  'Silver Zoom Card': { Transportation: 3.0, default: 1.0 },
  'Diamond Elite Card': { default: 5.0 },
  EcoCard: { Green: 5.0, default: 1.0 },
  'Crypto-Cash Back': { default: 2.0 },
};

export const submitTransaction = tau2Tool<BankingCtx>({
  name: 'submit_transaction',
  type: 'write',
  schema: S.submit_transaction,
  run(ctx, a) {
    const [userId, card, merchant, amount, category] = (['user_id', 'credit_card_type', 'merchant_name', 'amount', 'category'] as const).map((k) => arg(a, k)) as PyValue[];
    checkHashable(card);
    if (typeof card !== 'string' || !Object.hasOwn(REWARDS, card)) {
      return `Error: Unknown credit card type '${fstr(card)}'. Available types: ${pyRepr(Object.keys(REWARDS))}`;
    }
    const id = transactionId(userId!, card, merchant!, amount!, category!);
    const rates = REWARDS[card]!;
    checkHashable(category);
    const rate = new PyFloat(typeof category === 'string' && Object.hasOwn(rates, category) ? rates[category]! : rates.default!);
    const points = pyIntOf(mul(amount!, rate));
    const ok = addToDb(ctx.db, 'credit_card_transaction_history', id, dict([
      ['transaction_id', id],
      ['user_id', userId!],
      ['credit_card_type', card],
      ['merchant_name', merchant!],
      ['transaction_amount', `$${fixed(amount)}`],
      ['transaction_date', TODAY],
      ['category', category!],
      ['status', 'COMPLETED'],
      ['rewards_earned', `${points} points`],
    ]));
    if (!ok) return `Failed to submit transaction: Record ID '${id}' may already exist.`;
    return (
      `Transaction submitted successfully!\n  - Transaction ID: ${id}\n  - User ID: ${fstr(userId)}\n  - Card Type: ${card}\n  - Merchant: ${fstr(merchant)}\n` +
      `  - Amount: $${fixed(amount)}\n  - Category: ${fstr(category)}\n  - Date: ${TODAY}\n  - Rewards Earned: ${points} points (${fstr(rate)}% cashback rate)\n`
    );
  },
});

export { compare, typeError };
