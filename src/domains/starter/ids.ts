/**
 * The starter world's id spaces, shared by every world seed: users `u10`…`u99`, orders
 * `#100`…`#999`. A tokenizer trained on them can hold each id as one token, so copying an id from
 * the context into a tool call is a single-token skill a tiny model can learn.
 */
export const USER_ID_RANGE = [10, 99] as const;
export const ORDER_ID_RANGE = [100, 999] as const;

function range([lo, hi]: readonly [number, number], fmt: (n: number) => string): string[] {
  return Array.from({ length: hi - lo + 1 }, (_, i) => fmt(lo + i));
}

/** Every user id, in numeric order. */
export const USER_IDS: readonly string[] = range(USER_ID_RANGE, (n) => `u${n}`);
/** Every order id, in numeric order. */
export const ORDER_IDS: readonly string[] = range(ORDER_ID_RANGE, (n) => `#${n}`);

/** Every id of the id spaces (users, then orders), for a tokenizer's vocabulary. */
export function starterIdVocabulary(): string[] {
  return [...USER_IDS, ...ORDER_IDS];
}
