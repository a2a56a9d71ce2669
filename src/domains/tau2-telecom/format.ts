/** Python's `format(x, '.Nf')` for ints and floats (exact half-even rounding, as CPython). */
import { formatFixed } from '../../py/format-fixed.ts';
import type { PyValue } from '../../py/value.ts';

export { formatFixed };

export const format2f = (v: PyValue | undefined): string => formatFixed(v, 2);
