/**
 * Runs `fn` over `items` with at most `concurrency` calls in flight; results come back in
 * completion order through `onResult`. Stops taking new items once `signal` aborts.
 */
export async function forEachPooled<T, R>(
  items: Iterable<T>,
  concurrency: number,
  fn: (item: T) => Promise<R>,
  onResult?: (r: R, item: T) => Promise<void> | void,
  signal?: AbortSignal,
): Promise<void> {
  const it = items[Symbol.iterator]();
  const worker = async (): Promise<void> => {
    for (;;) {
      if (signal?.aborted) return;
      const next = it.next();
      if (next.done) return;
      const r = await fn(next.value);
      await onResult?.(r, next.value);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.floor(concurrency)) }, worker));
}

/**
 * A concurrency limit shared by several callers: `limit(fn)` runs `fn` once fewer than `n` calls
 * are running (first come, first served).
 */
export function limiter(n: number): <R>(fn: () => Promise<R>) => Promise<R> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <R>(fn: () => Promise<R>): Promise<R> => {
    if (running >= n) await new Promise<void>((r) => waiting.push(r));
    else running++;
    try {
      return await fn();
    } finally {
      const next = waiting.shift();
      if (next) next(); // the slot passes straight to the next caller
      else running--;
    }
  };
}
