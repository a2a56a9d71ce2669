/** Pieces several banking discoverable tools share. */
import { dumpsIndent } from '../../../py/json.ts';
import { PyError, typeError, valueError } from '../../../py/errors.ts';
import { compare, truthy } from '../../../py/ops.ts';
import { dict, PyFloat, type PyDict, type PyValue } from '../../../py/value.ts';
import { queryDatabaseTool } from '../db.ts';
import { constraint } from '../tools/base.ts';
import { fstr, get, replace, title, toFloat } from '../py.ts';
import type { BankingCtx } from '../toolkit.ts';
import { typeName } from '../../../py/value.ts';

export const noRecords = (r: string): boolean => r.includes('No results found') || r.includes('No records found');

/** Whether `query_database_tool(table, {"field": "<id>"})` finds a record. */
export function found(ctx: BankingCtx, tableName: string, field: string, id: PyValue): boolean {
  return !noRecords(queryDatabaseTool(ctx.db, tableName, constraint(field, id)));
}

/** `json.dumps({k: v, …}, indent=2)`. */
export const argsJson = (pairs: readonly [string, PyValue][]): string => dumpsIndent(dict(pairs), 2);

/** `x.replace('_', ' ').title()`. */
export const display = (v: PyValue): string => title(replace(v, '_', ' '));

/** `repr(list)` of str constants (τ² prints its valid-value lists this way). */
export const listRepr = (xs: readonly string[]): string => fstr([...xs]);

/** The "history" read tools: a header, then the query's listing or a none-found line. */
export function history(ctx: BankingCtx, tool: string, tableName: string, field: string, id: PyValue, header: string, what: string, none: string): string {
  const r = queryDatabaseTool(ctx.db, tableName, constraint(field, id));
  const parts = [header, '', `Executed: ${tool}`, `${what} ${fstr(id)}:`];
  parts.push(noRecords(r) ? `\n${none}` : r);
  return parts.join('\n');
}

/** `_parse_balance`: numbers as floats, `'$2,850.00'` strings parsed, anything else 0.0. */
export function parseBalance(v: PyValue): PyFloat {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof PyFloat) return toFloat(v);
  if (typeof v === 'string') return toFloat(v.replaceAll('$', '').replaceAll(',', ''));
  return new PyFloat(0);
}

/** `_get_account_balance`: `current_holdings`, else `balance`, else 0. */
export function accountBalance(account: PyDict): PyFloat {
  return parseBalance(get(account, 'current_holdings', get(account, 'balance', 0)));
}

/** `int(x)` with Python's errors (floats truncate; strs parse as int literals). */
export function pyIntOf(v: PyValue): number {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof PyFloat) {
    if (Number.isNaN(v.value)) throw valueError('cannot convert float NaN to integer');
    if (!Number.isFinite(v.value)) throw new PyError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(v.value);
  }
  if (typeof v === 'string') {
    const s = v.trim().replaceAll('_', '');
    if (/^[+-]?\d+$/.test(s)) return Number(s);
    throw valueError(`invalid literal for int() with base 10: ${fstr([v]).slice(1, -1)}`);
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${typeName(v)}'`);
}

/** `format(n, ',')` for an int. */
export function commas(n: number): string {
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (n < 0 ? '-' : '') + s;
}

export const positive = (v: PyValue): boolean => compare('>', v, 0);
export { truthy };
