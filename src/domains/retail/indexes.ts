/**
 * Lookup columns for the `find_user_id_*` tools, so a lookup reads a few profiles instead of
 * parsing all 500. They store exactly what τ-bench compares (lowercased text); the tools keep
 * Python's order of evaluation and errors around them.
 */
import type { IndexFn } from '../domain.ts';
import type { PyValue } from '../../py/value.ts';

export const EMAIL_INDEX = 'email_lower';
export const FIRST_NAME_INDEX = 'first_name_lower';

function lowered(v: PyValue | undefined): string | null {
  return typeof v === 'string' ? v.toLowerCase() : null;
}

export const userIndexes: Record<string, IndexFn> = {
  [EMAIL_INDEX]: (user) => lowered(user.get('email')),
  [FIRST_NAME_INDEX]: (user) => {
    const name = user.get('name');
    return name instanceof Map ? lowered(name.get('first_name')) : null;
  },
};
