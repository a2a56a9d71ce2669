/** Debit card discoverable tools: ordering, activation (three kinds), closing, freezing, alerts, PINs, limits. */
import { PyError } from '../../../py/errors.ts';
import { dumpsIndent } from '../../../py/json.ts';
import { add, compare, eq, mul, sub, truthy } from '../../../py/ops.ts';
import { pyRound } from '../../../py/float.ts';
import { dict, PyFloat, type PyDict, type PyValue } from '../../../py/value.ts';
import { arg } from '../../../sandbox/tau2/py.ts';
import { addToDb, rowFor, rowOf, table } from '../db.ts';
import { debitCardId, debitCardOrderId, deterministicId } from '../ids.ts';
import { falsy, fixed, fstr, get, inList, lowerStr, replace, toFloat, upper } from '../py.ts';
import { discoverable, TODAY, type BankingCtx } from '../toolkit.ts';
import { display, listRepr, pyIntOf } from './common.ts';
import { tryFloat } from './credit-cards.ts';
import { strptimeDays, TODAY_DAYS } from './dates.ts';
import { attributeError } from '../../../py/errors.ts';

const isDigits = (v: PyValue): boolean => {
  if (typeof v !== 'string') throw attributeError(v, 'isdigit');
  return v.length > 0 && /^\p{Nd}+$/u.test(v);
};

const SEQUENTIAL = ['0123', '1234', '2345', '3456', '4567', '5678', '6789', '9876', '8765', '7654', '6543', '5432', '4321', '3210'];

/** `_validate_pin`: null when valid, else the message. */
function pinError(pin: PyValue): string | null {
  if (falsy(pin) || !isDigits(pin) || [...(pin as string)].length !== 4) return 'PIN must be exactly 4 digits.';
  if (SEQUENTIAL.includes(pin as string)) return 'PIN cannot be sequential (e.g., 1234). Please choose a more secure PIN.';
  if (new Set(pin as string).size === 1) return 'PIN cannot be all the same digit (e.g., 1111). Please choose a more secure PIN.';
  return null;
}

const REASON_TOOL: Record<string, string> = {
  new_account: 'activate_debit_card_8291',
  first_card: 'activate_debit_card_8291',
  lost: 'activate_debit_card_8292',
  stolen: 'activate_debit_card_8292',
  fraud: 'activate_debit_card_8292',
  expired: 'activate_debit_card_8293',
  damaged: 'activate_debit_card_8293',
  upgrade: 'activate_debit_card_8293',
  bank_reissue: 'activate_debit_card_8293',
};

/** `_validate_activation_common`: an error text, or the card (the episode's own copy). */
function validateActivation(ctx: BankingCtx, a: Record<string, PyValue>, allowed: readonly string[], tool: string): string | PyDict {
  const { card_id: cardId, last_4_digits: last4, expiration_date: exp, cvv, pin } = a;
  if (![cardId, last4, exp, cvv, pin].every((x) => truthy(x))) {
    return 'Error: Missing required parameters. Required: card_id, last_4_digits, expiration_date, cvv, pin.';
  }
  const pe = pinError(pin!);
  if (pe) return `Error: ${pe}`;
  if (!isDigits(cvv!) || [...(cvv as string)].length !== 3) return 'Error: CVV must be exactly 3 digits.';
  if (!isDigits(last4!) || [...(last4 as string)].length !== 4) return 'Error: Last 4 digits must be exactly 4 digits.';
  const card = rowOf(ctx.db, 'debit_cards', cardId!);
  if (!card) return `Error: Debit card '${fstr(cardId)}' not found.`;
  const reason = get(card, 'issue_reason', 'new_account');
  if (!inList(reason, allowed)) {
    const correct = typeof reason === 'string' ? (REASON_TOOL[reason] ?? 'unknown') : 'unknown';
    return `Error: Wrong activation tool. This card has issue_reason='${fstr(reason)}'. Please use ${correct} instead of ${tool}.`;
  }
  if (eq(get(card, 'status'), 'ACTIVE')) return `Error: Debit card '${fstr(cardId)}' is already active.`;
  if (!eq(get(card, 'status'), 'PENDING')) {
    return `Error: Debit card '${fstr(cardId)}' cannot be activated. Current status: ${fstr(get(card, 'status'))}. Only PENDING cards can be activated.`;
  }
  if (!eq(get(card, 'last_4_digits'), last4)) return 'Error: Card verification failed. The last 4 digits do not match our records.';
  const accountId = get(card, 'account_id');
  if (truthy(accountId)) {
    const account = rowOf(ctx.db, 'accounts', accountId);
    if (account && !eq(get(account, 'status'), 'OPEN')) {
      return `Error: The linked checking account '${fstr(accountId)}' is no longer open. Card cannot be activated.`;
    }
  }
  return rowFor(ctx.db, 'debit_cards', cardId!)!;
}

const activationArgs = (a: Record<string, PyValue>): Record<string, PyValue> =>
  Object.fromEntries(['card_id', 'last_4_digits', 'expiration_date', 'cvv', 'pin'].map((k) => [k, arg(a, k)]));

/** Marks the account's other active cards; returns their ids. */
function otherActive(ctx: BankingCtx, cardId: PyValue, accountId: PyValue, apply: (c: PyDict) => void): string[] {
  const out: string[] = [];
  const t = table(ctx.db, 'debit_cards');
  for (const id of t.keys()) {
    const c = t.get(id)!;
    if (!eq(id, cardId) && eq(get(c, 'account_id'), accountId) && eq(get(c, 'status'), 'ACTIVE')) {
      apply(t.mut(id)!);
      out.push(id);
    }
  }
  return out;
}

export const activateNew = discoverable('activate_debit_card_8291', (ctx, a) => {
  const args = activationArgs(a);
  const card = validateActivation(ctx, args, ['new_account', 'first_card'], 'activate_debit_card_8291');
  if (typeof card === 'string') return card;
  const accountId = get(card, 'account_id');
  card.set('status', 'ACTIVE');
  card.set('activated_date', TODAY);
  const off = otherActive(ctx, args.card_id!, accountId, (c) => {
    c.set('status', 'DEACTIVATED');
    c.set('deactivated_date', TODAY);
    c.set('deactivation_reason', 'New card activated');
  });
  const parts = [
    'New Debit Card Activation Successful',
    `Card ID: ${fstr(args.card_id)}`,
    'Status: ACTIVE',
    `Activation Date: ${TODAY}`,
    '',
    'Your card is now ready to use at any ATM or point of sale terminal.',
    'For security, please sign the back of your card.',
  ];
  if (off.length > 0) parts.push(`\nNote: Previous card(s) have been deactivated: ${off.join(', ')}`);
  return parts.join('\n');
});

export const activateReplacement = discoverable('activate_debit_card_8292', (ctx, a) => {
  const args = activationArgs(a);
  const card = validateActivation(ctx, args, ['lost', 'stolen', 'fraud'], 'activate_debit_card_8292');
  if (typeof card === 'string') return card;
  const accountId = get(card, 'account_id');
  const reason = get(card, 'issue_reason', 'lost');
  card.set('status', 'ACTIVE');
  card.set('activated_date', TODAY);
  const off = otherActive(ctx, args.card_id!, accountId, (c) => {
    c.set('status', 'DEACTIVATED');
    c.set('deactivated_date', TODAY);
    c.set('deactivation_reason', `Replacement card activated (${fstr(reason)})`);
  });
  const parts = [
    'Replacement Debit Card Activation Successful',
    `Card ID: ${fstr(args.card_id)}`,
    `Replacement Reason: ${display(reason)}`,
    'Status: ACTIVE',
    `Activation Date: ${TODAY}`,
    '',
    'Your replacement card is now ready to use.',
    '',
    'IMPORTANT SECURITY REMINDERS:',
    '- Please review your recent transactions for any unauthorized charges',
    '- Report any suspicious activity immediately',
  ];
  if (eq(reason, 'fraud')) parts.push('- Since fraud was suspected, we recommend changing your online banking password');
  if (off.length > 0) parts.push(`\nPrevious card(s) have been deactivated for security: ${off.join(', ')}`);
  return parts.join('\n');
});

export const activateReissued = discoverable('activate_debit_card_8293', (ctx, a) => {
  const args = activationArgs(a);
  const card = validateActivation(ctx, args, ['expired', 'damaged', 'upgrade', 'bank_reissue'], 'activate_debit_card_8293');
  if (typeof card === 'string') return card;
  const accountId = get(card, 'account_id');
  const reason = get(card, 'issue_reason', 'expired');
  card.set('status', 'ACTIVE');
  card.set('activated_date', TODAY);
  const grace = otherActive(ctx, args.card_id!, accountId, (c) => {
    c.set('status', 'GRACE_PERIOD');
    c.set('grace_period_ends', TODAY);
    c.set('deactivation_reason', `Reissued card activated (${fstr(reason)})`);
  });
  const parts = [
    'Reissued Debit Card Activation Successful',
    `Card ID: ${fstr(args.card_id)}`,
    `Reissue Reason: ${display(reason)}`,
    'Status: ACTIVE',
    `Activation Date: ${TODAY}`,
    '',
    'Your reissued card is now ready to use.',
  ];
  if (grace.length > 0) {
    parts.push(`\nNote: Your previous card(s) (${grace.join(', ')}) will remain active for 24 hours as a grace period.`);
    parts.push('After 24 hours, the old card(s) will be automatically deactivated.');
  }
  if (inList(reason, ['expired', 'bank_reissue'])) parts.push('\nReminder: If your card number changed, please update any recurring payments with your new card details.');
  return parts.join('\n');
});

const CLOSE_REASONS = ['lost', 'stolen', 'fraud_suspected', 'damaged', 'no_longer_needed', 'account_closing'];

export const closeDebitCard = discoverable('close_debit_card_4721', (ctx, a) => {
  const cardId = arg(a, 'card_id');
  const raw = arg(a, 'reason');
  if (falsy(cardId) || falsy(raw)) return 'Error: Missing required parameters. Required: card_id, reason.';
  if (!inList(lowerStr(raw), CLOSE_REASONS)) return `Error: Invalid reason. Must be one of: ${listRepr(CLOSE_REASONS)}`;
  const reason = lowerStr(raw);
  const seen = rowOf(ctx.db, 'debit_cards', cardId);
  if (!seen) return `Error: Debit card '${fstr(cardId)}' not found.`;
  if (!inList(get(seen, 'status'), ['ACTIVE', 'PENDING'])) {
    return `Error: Debit card '${fstr(cardId)}' cannot be closed. Current status: ${fstr(get(seen, 'status'))}. Only ACTIVE or PENDING cards can be closed.`;
  }
  const card = rowFor(ctx.db, 'debit_cards', cardId)!;
  const previous = get(card, 'status');
  card.set('status', 'CLOSED');
  card.set('closed_date', TODAY);
  card.set('closure_reason', reason);
  const parts = ['Debit Card Closed Successfully', `Card ID: ${fstr(cardId)}`, `Previous Status: ${fstr(previous)}`, 'New Status: CLOSED', `Closure Reason: ${display(reason)}`, `Closure Date: ${TODAY}`, ''];
  if (['lost', 'stolen', 'fraud_suspected'].includes(reason)) {
    parts.push('IMPORTANT: This card has been immediately deactivated for security.', 'Any pending transactions may still be processed.');
    if (reason === 'fraud_suspected') {
      parts.push('Please advise the customer to review recent transactions and file disputes for any unauthorized charges.', 'Also recommend changing their online banking password.');
    }
  }
  parts.push(
    '',
    'Note: This card cannot be reactivated. If the customer needs a new card, they can order one through the standard ordering process.',
    'Any recurring payments linked to this card will need to be updated with new payment information.',
  );
  return parts.join('\n');
});

export const freezeDebitCard = discoverable('freeze_debit_card_3892', (ctx, a) => {
  const cardId = arg(a, 'card_id');
  if (falsy(cardId)) return 'Error: Missing required parameter: card_id.';
  const seen = rowOf(ctx.db, 'debit_cards', cardId);
  if (!seen) return `Error: Debit card '${fstr(cardId)}' not found.`;
  if (eq(get(seen, 'status'), 'FROZEN')) return `Error: Debit card '${fstr(cardId)}' is already frozen.`;
  if (!eq(get(seen, 'status'), 'ACTIVE')) return `Error: Debit card '${fstr(cardId)}' cannot be frozen. Current status: ${fstr(get(seen, 'status'))}. Only ACTIVE cards can be frozen.`;
  const card = rowFor(ctx.db, 'debit_cards', cardId)!;
  card.set('status', 'FROZEN');
  card.set('frozen_date', TODAY);
  return [
    'Debit Card Frozen Successfully',
    `Card ID: ${fstr(cardId)}`,
    'Status: FROZEN',
    `Frozen Date: ${TODAY}`,
    '',
    'While frozen:',
    '- All new purchase transactions will be declined',
    '- Recurring payments and subscriptions will be declined',
    '- Pending transactions already authorized may still process',
    '',
    'To unfreeze, the customer can call customer service or use the mobile app.',
    'If the card is confirmed lost or stolen, recommend closing the card permanently instead.',
  ].join('\n');
});

export const unfreezeDebitCard = discoverable('unfreeze_debit_card_3893', (ctx, a) => {
  const cardId = arg(a, 'card_id');
  if (falsy(cardId)) return 'Error: Missing required parameter: card_id.';
  const seen = rowOf(ctx.db, 'debit_cards', cardId);
  if (!seen) return `Error: Debit card '${fstr(cardId)}' not found.`;
  if (eq(get(seen, 'status'), 'ACTIVE')) return `Error: Debit card '${fstr(cardId)}' is already active.`;
  if (!eq(get(seen, 'status'), 'FROZEN')) return `Error: Debit card '${fstr(cardId)}' cannot be unfrozen. Current status: ${fstr(get(seen, 'status'))}. Only FROZEN cards can be unfrozen.`;
  const accountId = get(seen, 'account_id');
  if (truthy(accountId)) {
    const account = rowOf(ctx.db, 'accounts', accountId);
    if (account && !eq(get(account, 'status'), 'OPEN')) return `Error: The linked checking account '${fstr(accountId)}' is no longer open. Card cannot be unfrozen.`;
  }
  const card = rowFor(ctx.db, 'debit_cards', cardId)!;
  card.set('status', 'ACTIVE');
  card.set('unfrozen_date', TODAY);
  return ['Debit Card Unfrozen Successfully', `Card ID: ${fstr(cardId)}`, 'Status: ACTIVE', `Unfrozen Date: ${TODAY}`, '', 'The card is now active and ready to use immediately.', 'All transactions will process normally.'].join('\n');
});

export const clearFraudAlert = discoverable('clear_debit_card_fraud_alert_4892', (ctx, a) => {
  const cardId = arg(a, 'card_id');
  const reason = arg(a, 'reason');
  if (falsy(cardId)) return 'Error: Missing required parameter: card_id.';
  if (falsy(reason)) return 'Error: Missing required parameter: reason.';
  if (!inList(reason, ['customer_verified', 'velocity_clear'])) return `Error: Invalid reason '${fstr(reason)}'. Must be one of: customer_verified, velocity_clear`;
  const seen = rowOf(ctx.db, 'debit_cards', cardId);
  if (!seen) return `Error: Debit card '${fstr(cardId)}' not found.`;
  if (eq(reason, 'velocity_clear')) {
    if (!truthy(get(seen, 'velocity_blocked', false))) return `Error: Debit card '${fstr(cardId)}' does not have an active velocity block.`;
    const card = rowFor(ctx.db, 'debit_cards', cardId)!;
    card.set('velocity_blocked', false);
    card.set('velocity_cleared_date', TODAY);
    return [
      'Velocity Block Cleared Successfully',
      `Card ID: ${fstr(cardId)}`,
      `Cleared Date: ${TODAY}`,
      '',
      'The card is now unblocked and ready for normal use.',
      'The velocity monitoring will continue - if the same unusual patterns recur,',
      'the card may be blocked again automatically.',
    ].join('\n');
  }
  if (!truthy(get(seen, 'fraud_alert_active', false))) return `Error: Debit card '${fstr(cardId)}' does not have an active fraud alert.`;
  if (eq(get(seen, 'alert_source'), 'bank_initiated')) {
    return "Error: BANK_INITIATED_ALERT - This fraud alert was initiated by the bank's fraud detection system and cannot be cleared by customer service agents. Please transfer the customer to the security team using transfer_to_human_agents.";
  }
  const card = rowFor(ctx.db, 'debit_cards', cardId)!;
  card.set('fraud_alert_active', false);
  card.set('alert_source', null);
  card.set('fraud_alert_cleared_date', TODAY);
  return [
    'Fraud Alert Cleared Successfully',
    `Card ID: ${fstr(cardId)}`,
    `Cleared Date: ${TODAY}`,
    '',
    'The fraud alert has been removed from the card.',
    'All transactions will process normally.',
    '',
    'Remind the customer to review recent transactions and report any unauthorized charges.',
  ].join('\n');
});

export const resetPin = discoverable('reset_debit_card_pin_6284', (ctx, a) => {
  const [cardId, last4, pin] = [arg(a, 'card_id'), arg(a, 'last_4_digits'), arg(a, 'new_pin')];
  if (![cardId, last4, pin].every((x) => truthy(x))) return 'Error: Missing required parameters. Required: card_id, last_4_digits, new_pin.';
  if (!isDigits(last4) || [...(last4 as string)].length !== 4) return 'Error: Last 4 digits must be exactly 4 digits.';
  const pe = pinError(pin);
  if (pe) return `Error: ${pe}`;
  const seen = rowOf(ctx.db, 'debit_cards', cardId);
  if (!seen) return `Error: Debit card '${fstr(cardId)}' not found.`;
  if (!eq(get(seen, 'last_4_digits'), last4)) return 'Error: Card verification failed. The last 4 digits do not match our records.';
  if (!eq(get(seen, 'status'), 'ACTIVE')) return `Error: Cannot reset PIN. Card status is ${fstr(get(seen, 'status'))}. Only ACTIVE cards can have their PIN reset.`;
  const card = rowFor(ctx.db, 'debit_cards', cardId)!;
  card.set('pin_last_changed', TODAY);
  card.set('pin_locked', false);
  card.set('pin_attempts_remaining', 3);
  return [
    'Debit Card PIN Reset Successfully',
    `Card ID: ${fstr(cardId)}`,
    `PIN Changed: ${TODAY}`,
    '',
    'The new PIN is effective immediately.',
    'Your card has been unlocked and is ready to use.',
    'Customer can use the new PIN for ATM withdrawals and point-of-sale transactions.',
    '',
    'Security reminder: Never share your PIN with anyone.',
  ].join('\n');
});

export const changePin = discoverable('change_debit_card_pin_6285', (ctx, a) => {
  const [cardId, current, pin] = [arg(a, 'card_id'), arg(a, 'current_pin'), arg(a, 'new_pin')];
  if (![cardId, current, pin].every((x) => truthy(x))) return 'Error: Missing required parameters. Required: card_id, current_pin, new_pin.';
  if (!isDigits(current) || [...(current as string)].length !== 4) return 'Error: Current PIN must be exactly 4 digits.';
  const pe = pinError(pin);
  if (pe) return `Error: ${pe}`;
  if (eq(current, pin)) return 'Error: New PIN must be different from current PIN.';
  const seen = rowOf(ctx.db, 'debit_cards', cardId);
  if (!seen) return `Error: Debit card '${fstr(cardId)}' not found.`;
  if (!eq(get(seen, 'status'), 'ACTIVE')) return `Error: Cannot change PIN. Card status is ${fstr(get(seen, 'status'))}. Only ACTIVE cards can have their PIN changed.`;
  rowFor(ctx.db, 'debit_cards', cardId)!.set('pin_last_changed', TODAY);
  return [
    'Debit Card PIN Changed Successfully',
    `Card ID: ${fstr(cardId)}`,
    `PIN Changed: ${TODAY}`,
    '',
    'The new PIN is effective immediately.',
    'Customer can use the new PIN for ATM withdrawals and point-of-sale transactions.',
    '',
    'Security reminder: Never share your PIN with anyone.',
  ].join('\n');
});

export const getDebitCardsByAccount = discoverable('get_debit_cards_by_account_id_7823', (ctx, a) => {
  const accountId = arg(a, 'account_id');
  if (falsy(accountId)) return "Error: Missing required parameter 'account_id'.";
  const account = rowOf(ctx.db, 'accounts', accountId);
  if (!account) return `Error: Account '${fstr(accountId)}' not found.`;
  if (!inList(lowerStr(get(account, 'class', '')), ['checking', 'business_checking'])) {
    return `Error: Account '${fstr(accountId)}' is not a checking account. Debit cards are only available for checking accounts.`;
  }
  const cards: PyDict[] = [];
  const t = table(ctx.db, 'debit_cards');
  for (const id of t.keys()) {
    const card = t.get(id)!;
    if (!eq(get(card, 'account_id'), accountId)) continue;
    const info: PyDict = new Map<string, PyValue>([['card_id', id]]);
    for (const [k, v] of card) info.set(k, v);
    const pop = (k: string): PyValue => {
      const v = info.get(k)!;
      info.delete(k);
      return v;
    };
    if (info.has('last_4_digits') && !info.has('card_number_last_4')) info.set('card_number_last_4', pop('last_4_digits'));
    if (info.has('issue_date') && !info.has('date_issued')) info.set('date_issued', pop('issue_date'));
    else if (info.has('created_date') && !info.has('date_issued')) info.set('date_issued', pop('created_date'));
    cards.push(info);
  }
  if (cards.length === 0) return `No debit cards found for account '${fstr(accountId)}'.`;
  const keyed = cards.map((c, i) => ({ c, i, k: truthy(get(c, 'date_issued')) ? get(c, 'date_issued') : '' }));
  keyed.sort((x, y) => (compare('>', y.k, x.k) ? 1 : compare('<', y.k, x.k) ? -1 : x.i - y.i));
  return dumpsIndent(keyed.map((x) => x.c), 2);
});

const ATM_DEFAULTS: Record<string, number> = {
  'blue account': 500,
  'green account': 600,
  'light blue account': 400,
  'green fee-free account': 500,
  'evergreen account': 750,
  'bluest account': 1500,
  'dark green account': 300,
  'gold years account': 600,
  'purple account': 1000,
};

export const temporaryLimitIncrease = discoverable('request_temporary_debit_card_limit_increase_8374', (ctx, a) => {
  const cardId = arg(a, 'card_id');
  const kind = arg(a, 'limit_type');
  const raw = arg(a, 'new_limit');
  if (falsy(cardId)) return 'Error: Missing required parameter: card_id.';
  if (falsy(kind)) return 'Error: Missing required parameter: limit_type.';
  if (!inList(kind, ['atm', 'purchase'])) return `Error: Invalid limit_type '${fstr(kind)}'. Must be 'atm' or 'purchase'.`;
  if (raw === null) return 'Error: Missing required parameter: new_limit.';
  const f = tryFloat(raw);
  if (f === undefined) return `Error: new_limit must be an integer, got '${fstr(raw)}'.`;
  if (!Number.isInteger(f.value)) return `Error: new_limit must be an integer, got '${fstr(f)}'.`;
  const newLimit = f.value;
  if (newLimit <= 0) return 'Error: new_limit must be a positive amount.';
  const seen = rowOf(ctx.db, 'debit_cards', cardId);
  if (!seen) return `Error: Debit card '${fstr(cardId)}' not found.`;
  if (!eq(get(seen, 'status'), 'ACTIVE')) return `Error: Debit card '${fstr(cardId)}' is not active. Current status: ${fstr(get(seen, 'status'))}. Only ACTIVE cards can have limit increases.`;
  const accountId = get(seen, 'account_id');
  const account = truthy(accountId) ? rowOf(ctx.db, 'accounts', accountId) : undefined;
  if (!account) return `Error: Could not find linked account for debit card '${fstr(cardId)}'.`;
  if (!eq(get(account, 'status'), 'OPEN')) return `Error: The linked account '${fstr(accountId)}' is not in good standing. Account status: ${fstr(get(account, 'status'))}.`;
  const opened = get(account, 'date_opened');
  if (truthy(opened)) {
    try {
      const age = Math.floor(TODAY_DAYS - strptimeDays(opened));
      if (age < 60) return `Error: Account must be at least 60 days old for a temporary limit increase. Account age: ${age} days.`;
    } catch (e) {
      if (!(e instanceof PyError && e.pyType === 'ValueError')) throw e;
    }
  }
  let current: PyValue;
  let fieldName: string;
  let name: string;
  if (eq(kind, 'atm')) {
    current = get(seen, 'daily_atm_limit');
    fieldName = 'daily_atm_limit';
    name = 'Daily ATM Withdrawal Limit';
    if (current === null) {
      const level = lowerStr(get(account, 'level', ''));
      if (level.includes('light green')) {
        return 'Error: Light Green Account (teen checking) cards have policy-based limits that cannot be modified. The daily ATM withdrawal limit of $150 is fixed by account policy for safety reasons. The customer may request the parent/guardian to withdraw cash from their own account if needed.';
      }
      current = ATM_DEFAULTS[level] ?? null;
      if (current === null) return `Error: Could not determine the default ATM limit for account type '${fstr(get(account, 'level'))}'. Please verify the account type.`;
    }
  } else {
    current = get(seen, 'daily_purchase_limit');
    fieldName = 'daily_purchase_limit';
    name = 'Daily Purchase Limit';
  }
  if (current === null) return `Error: The card does not have a ${name.toLowerCase()} configured. This may be a restricted account type where limits are set by account policy and cannot be modified.`;
  const max = pyIntOf(mul(current, new PyFloat(1.5)));
  if (newLimit > max) return `Error: Requested limit $${newLimit} exceeds the maximum allowed temporary increase. Maximum temporary limit is $${max} (150% of current $${fstr(current)} limit).`;
  if (compare('<=', newLimit, current)) return `Error: Requested limit $${newLimit} is not higher than the current limit of $${fstr(current)}.`;
  const card = rowFor(ctx.db, 'debit_cards', cardId)!;
  card.set(fieldName, newLimit);
  card.set(`temporary_${kind as string}_limit_increase`, true);
  card.set(`original_${kind as string}_limit`, current);
  card.set(`temporary_${kind as string}_limit_expires`, TODAY);
  return [
    `Temporary ${name} Increase Granted Successfully`,
    `Card ID: ${fstr(cardId)}`,
    `Previous Limit: $${fstr(current)}`,
    `New Temporary Limit: $${newLimit}`,
    `Increase Amount: $${fstr(sub(newLimit, current))}`,
    '',
    'Important Information:',
    '- This temporary increase expires in 24 hours',
    `- After expiration, the limit will revert to $${fstr(current)}`,
    '- Only one temporary increase is allowed per 24-hour period',
    '',
    'Note: If the customer is at a third-party (non-Rho-Bank) ATM, that ATM may have its own',
    'per-transaction or daily limits that Rho-Bank cannot override. The customer may need to',
    'use a Rho-Bank ATM or make multiple smaller withdrawals at third-party ATMs.',
  ].join('\n');
});

/** `f"{x:.0f}"`. */
const fixed0 = (v: PyValue): string => fixed(v, 0);

export const orderDebitCard = discoverable('order_debit_card_5739', (ctx, a) => {
  const [accountId, userId, delivery0, deliveryFee0, design0, designFee0, address] = (
    ['account_id', 'user_id', 'delivery_option', 'delivery_fee', 'card_design', 'design_fee', 'shipping_address'] as const
  ).map((k) => arg(a, k)) as [PyValue, PyValue, PyValue, PyValue, PyValue, PyValue, PyValue];
  let excess: PyValue = truthy(arg(a, 'excess_replacement_fee')) ? arg(a, 'excess_replacement_fee') : 0;
  let deliveryFee: PyFloat | null = null;
  if (deliveryFee0 !== null) {
    const f = tryFloat(deliveryFee0);
    if (f === undefined) return 'Error: delivery_fee must be a number.';
    deliveryFee = f;
  }
  let designFee: PyFloat | null = null;
  if (designFee0 !== null) {
    const f = tryFloat(designFee0);
    if (f === undefined) return 'Error: design_fee must be a number.';
    designFee = f;
  }
  excess = tryFloat(excess) ?? 0;
  if (![accountId, userId, delivery0, deliveryFee !== null, design0, designFee !== null, address].every((x) => truthy(x))) {
    return 'Error: Missing required parameters. Required: account_id, user_id, delivery_option, delivery_fee, card_design, design_fee, shipping_address.';
  }
  const DELIVERY = ['STANDARD', 'EXPEDITED', 'RUSH'];
  if (!DELIVERY.includes(upper(delivery0))) return `Error: Invalid delivery_option. Must be one of: ${listRepr(DELIVERY)}`;
  const delivery = upper(delivery0);
  const DESIGN = ['CLASSIC', 'PREMIUM', 'CUSTOM'];
  if (!DESIGN.includes(upper(design0))) return `Error: Invalid card_design. Must be one of: ${listRepr(DESIGN)}`;
  const design = upper(design0);
  const account = rowOf(ctx.db, 'accounts', accountId);
  if (!account) return `Error: Account '${fstr(accountId)}' not found.`;
  if (!eq(get(account, 'class'), 'checking')) return `Error: Debit cards can only be ordered for checking accounts. Account '${fstr(accountId)}' is a ${fstr(get(account, 'class'))} account.`;
  if (!eq(get(account, 'status'), 'OPEN')) return `Error: Account must be OPEN. Account '${fstr(accountId)}' has status: ${fstr(get(account, 'status'))}`;
  if (!eq(get(account, 'user_id'), userId)) return `Error: Account '${fstr(accountId)}' does not belong to user '${fstr(userId)}'.`;
  let holdings: PyFloat;
  try {
    holdings = toFloat(replace(fstr(get(account, 'current_holdings', '0')), ',', ''));
  } catch (e) {
    if (!(e instanceof PyError && e.pyType === 'ValueError')) throw e;
    holdings = new PyFloat(0);
  }
  if (holdings.value < 25) return `Error: Account must have a minimum balance of $25. Current balance: $${fixed(holdings)}`;
  for (const o of table(ctx.db, 'debit_card_orders').values()) {
    if (eq(get(o, 'account_id'), accountId) && eq(get(o, 'status'), 'PENDING')) return `Error: There is already a pending debit card order for account '${fstr(accountId)}'.`;
  }
  const activeCards = table(ctx.db, 'debit_cards').values().filter((c) => eq(get(c, 'account_id'), accountId) && eq(get(c, 'status'), 'ACTIVE')).length;
  if (activeCards >= 1) return `Error: Account '${fstr(accountId)}' already has an active debit card. Maximum 1 active card per checking account.`;
  const total = add(add(deliveryFee!, designFee!), excess);
  if (compare('>', total, 0) && compare('<', holdings, total)) return `Error: Insufficient funds for fees. Total fees: $${fixed(total)}. Current balance: $${fixed(holdings)}`;
  const expected = { STANDARD: '7-10 business days', EXPEDITED: '3-5 business days', RUSH: '1-2 business days' }[delivery as 'STANDARD']!;
  const orderId = debitCardOrderId(accountId, userId, delivery);
  const ok = addToDb(ctx.db, 'debit_card_orders', orderId, dict([
    ['order_id', orderId],
    ['account_id', accountId],
    ['user_id', userId],
    ['delivery_option', delivery],
    ['card_design', design],
    ['shipping_address', address],
    ['delivery_fee', deliveryFee],
    ['design_fee', designFee],
    ['excess_replacement_fee', excess],
    ['total_fee', total],
    ['order_date', TODAY],
    ['expected_delivery', expected],
    ['status', 'PENDING'],
  ]));
  if (!ok) return 'Error: Failed to create debit card order. Order may already exist.';
  const feeParts = (sep: string): string[] => {
    const out: string[] = [];
    if (compare('>', deliveryFee!, 0)) out.push(`Delivery${sep}$${fstr(deliveryFee)}`);
    if (compare('>', designFee!, 0)) out.push(`Design${sep}$${fstr(designFee)}`);
    if (compare('>', excess, 0)) out.push(`Excess Replacement${sep}$${fixed0(excess)}`);
    return out;
  };
  if (compare('>', total, 0)) {
    rowFor(ctx.db, 'accounts', accountId)!.set('current_holdings', fixed(sub(holdings, total)));
    const feeId = `btxn_dcfee_${orderId.slice(-8)}`;
    addToDb(ctx.db, 'bank_account_transaction_history', feeId, dict([
      ['transaction_id', feeId],
      ['account_id', accountId],
      ['date', TODAY],
      ['description', `DEBIT CARD ORDER FEE - ${feeParts(' ').join(', ')}`],
      ['amount', sub(0, total)],
      ['type', 'debit_card_fee'],
      ['status', 'posted'],
    ]));
  }
  const cardId = debitCardId(accountId, userId, TODAY);
  const digits = (s: string, n: number): string => [...s].filter((c) => /\d/.test(c)).join('').slice(0, n).padStart(n, '0');
  const last4 = digits(deterministicId(`card_details:${cardId}:last4`, 8), 4);
  const cvv = digits(deterministicId(`card_details:${cardId}:cvv`, 6), 3);
  let holder: PyValue = 'CARDHOLDER';
  const user = rowOf(ctx.db, 'users', userId);
  if (user) holder = upper(get(user, 'name', 'CARDHOLDER'));
  const existing = table(ctx.db, 'debit_cards').values().filter((c) => eq(get(c, 'account_id'), accountId));
  const closed = existing.find((c) => eq(get(c, 'status'), 'CLOSED'));
  let issueReason: PyValue;
  if (closed) {
    const why = get(closed, 'closure_reason', 'first_card');
    issueReason = inList(why, ['lost', 'stolen', 'fraud', 'fraud_suspected']) ? (eq(why, 'fraud_suspected') ? 'fraud' : why) : 'first_card';
  } else issueReason = existing.length > 0 ? 'first_card' : 'new_account';
  addToDb(ctx.db, 'debit_cards', cardId, dict([
    ['card_id', cardId],
    ['account_id', accountId],
    ['user_id', userId],
    ['cardholder_name', holder],
    ['last_4_digits', last4],
    ['cvv', cvv],
    ['status', 'PENDING'],
    ['issue_date', TODAY],
    ['expiration_date', '11/30/2029'],
    ['card_design', design],
    ['issue_reason', issueReason],
  ]));
  const parts = [
    'Debit Card Order Confirmed',
    `Order ID: ${orderId}`,
    `Card ID: ${cardId}`,
    `Linked Account: ${fstr(accountId)}`,
    `Delivery Option: ${delivery}`,
    `Card Design: ${design}`,
    `Shipping Address: ${fstr(address)}`,
    `Expected Delivery: ${expected}`,
    '',
    'Note: Card will arrive with status PENDING. Customer must call to activate after receiving the card.',
  ];
  if (compare('>', total, 0)) {
    parts.push(`Total Fees: $${fixed(total)} (${feeParts(': ').join(', ')}) - CHARGED to account ${fstr(accountId)}`);
    parts.push(`New Account Balance: $${fixed(sub(holdings, total))}`);
  } else parts.push('Total Fees: $0 (No additional charges)');
  return parts.join('\n');
});

export { pyRound };
