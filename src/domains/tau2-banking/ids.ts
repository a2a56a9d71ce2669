/**
 * τ²'s deterministic record ids for the banking domain: SHA-256 of a `:`-joined seed, as hex.
 * Seeds are built as τ² builds them (`":".join(parts)` raises on a non-str part; `f"{x:.2f}"`
 * formats amounts; encoding a lone surrogate fails as UTF-8 does in Python).
 */
import { createHash } from 'node:crypto';
import { PyError } from '../../py/errors.ts';
import { dumpsSorted } from '../../py/dumps.ts';
import { typeName, type PyValue } from '../../py/value.ts';
import { fixed, fstr, join } from './py.ts';

function utf8(seed: string): Buffer {
  for (let i = 0; i < seed.length; i++) {
    const c = seed.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const pair = c <= 0xdbff && i + 1 < seed.length && seed.charCodeAt(i + 1) >= 0xdc00 && seed.charCodeAt(i + 1) <= 0xdfff;
      if (pair) {
        i++;
        continue;
      }
      const pos = [...seed.slice(0, i)].length;
      throw new PyError('UnicodeEncodeError', `'utf-8' codec can't encode character '\\u${c.toString(16)}' in position ${pos}: surrogates not allowed`);
    }
  }
  return Buffer.from(seed, 'utf8');
}

/** `_deterministic_id(seed, length)`. */
export function deterministicId(seed: string, length = 16): string {
  return createHash('sha256').update(utf8(seed)).digest().subarray(0, length / 2).toString('hex');
}

export const transactionId = (userId: PyValue, cardType: PyValue, merchant: PyValue, amount: PyValue, category: PyValue): string =>
  `txn_${deterministicId(join(':', ['transaction', userId, cardType, merchant, fixed(amount), category]), 12)}`;
export const referralId = (referrer: PyValue, accountType: PyValue): string => deterministicId(join(':', ['referral', referrer, accountType]), 16);
export const applicationId = (cardType: PyValue, name: PyValue, income: PyValue, rho: PyValue): string =>
  deterministicId(`credit_card:${fstr(cardType)}:${fstr(name)}:${fstr(income)}:${fstr(rho)}`, 16);
export function verificationId(userId: PyValue, timeVerified: PyValue): string {
  if (typeof timeVerified !== 'string') throw new PyError('AttributeError', `'${typeName(timeVerified)}' object has no attribute 'replace'`);
  return `${fstr(userId)}_${timeVerified.replaceAll(' ', '_').replaceAll(':', '').replaceAll('-', '')}`;
}
export const userDiscoverableToolId = (name: PyValue): string => deterministicId(`user_discoverable_tool:${fstr(name)}`, 16);
export const userDiscoverableToolCallId = (name: PyValue, args: PyValue): string => deterministicId(`user_discoverable_tool_call:${fstr(name)}:${dumpsSorted(args)}`, 16);
export const disputeId = (userId: PyValue, txn: PyValue): string => `dsp_${deterministicId(`dispute:${fstr(userId)}:${fstr(txn)}`, 12)}`;
export const referralLinkId = (userId: PyValue, card: PyValue): string => deterministicId(`referral_link:${fstr(userId)}:${fstr(card)}`, 16);
export const agentDiscoverableToolId = (name: PyValue): string => deterministicId(`agent_discoverable_tool:${fstr(name)}`, 16);
export const creditCardOrderId = (account: PyValue, userId: PyValue, reason: PyValue): string =>
  `ccord_${deterministicId(`credit_card_order:${fstr(account)}:${fstr(userId)}:${fstr(reason)}`, 12)}`;
export const closureReasonId = (account: PyValue, userId: PyValue): string => `clsr_${deterministicId(`closure_reason:${fstr(account)}:${fstr(userId)}`, 12)}`;
export const accountFlagId = (account: PyValue, flag: PyValue, exp: PyValue): string =>
  `ccflag_${deterministicId(`account_flag:${fstr(account)}:${fstr(flag)}:${fstr(exp)}`, 12)}`;
export const creditLimitRequestId = (account: PyValue, userId: PyValue, amount: PyValue): string =>
  `cli_${deterministicId(`cli_request:${fstr(account)}:${fstr(userId)}:${fixed(amount)}`, 12)}`;
export const bankTransactionId = (account: PyValue, date: PyValue, description: PyValue, amount: PyValue, type: PyValue): string =>
  `btxn_${deterministicId(`bank_txn:${fstr(account)}:${fstr(date)}:${fstr(description)}:${fixed(amount)}:${fstr(type)}`, 12)}`;
export const debitCardOrderId = (account: PyValue, userId: PyValue, delivery: PyValue): string =>
  `dcord_${deterministicId(`debit_card_order:${fstr(account)}:${fstr(userId)}:${fstr(delivery)}`, 12)}`;
export const debitCardId = (account: PyValue, userId: PyValue, issueDate: PyValue): string =>
  `dbc_${deterministicId(`debit_card:${fstr(account)}:${fstr(userId)}:${fstr(issueDate)}`, 12)}`;
