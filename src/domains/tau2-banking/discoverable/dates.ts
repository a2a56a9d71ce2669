/** `datetime.strptime(s, "%m/%d/%Y")` and day counts against τ²'s banking clock (2025-11-14 03:40). */
import { typeError, valueError } from '../../../py/errors.ts';
import { typeName, type PyValue } from '../../../py/value.ts';

const days = (y: number, m: number, d: number): number => Date.UTC(y, m - 1, d) / 86_400_000;
export const TODAY_DAYS = days(2025, 11, 14);

/** Days since the epoch of an `MM/DD/YYYY` date (and optional ` HH:MM:SS`), or a ValueError. */
export function strptimeDays(v: PyValue, withTime = false): number {
  if (typeof v !== 'string') throw typeError(`strptime() argument 1 must be str, not ${typeName(v)}`);
  const m = (withTime ? /^(\d{1,2})\/(\d{1,2})\/(\d{4}) (\d{1,2}):(\d{1,2}):(\d{1,2})$/ : /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/).exec(v);
  if (!m) throw valueError(`time data '${v}' does not match format '${withTime ? '%m/%d/%Y %H:%M:%S' : '%m/%d/%Y'}'`);
  const [mo, d, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d) throw valueError('day is out of range for month');
  const secs = withTime ? Number(m[4]) * 3600 + Number(m[5]) * 60 + Number(m[6]) : 0;
  if (withTime && (Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 61)) throw valueError(`unconverted data remains`);
  return days(y, mo, d) + secs / 86_400;
}

/** `(get_now() - strptime(s)).days`. */
export function ageDays(v: PyValue): number {
  const now = TODAY_DAYS + (3 * 3600 + 40 * 60) / 86_400;
  return Math.floor(now - strptimeDays(v));
}
