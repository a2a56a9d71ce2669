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
