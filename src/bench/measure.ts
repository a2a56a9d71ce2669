/** Wall-clock sampling for benchmarks (high-resolution; results in milliseconds). */

export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * Times `run` once per sample. `setup` (untimed) prepares each sample's input and `teardown`
 * (untimed) releases it, so only the operation itself is measured.
 */
export function sample<T>(n: number, setup: () => T, run: (input: T) => void, teardown: (input: T) => void = () => {}): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const input = setup();
    const t0 = nowMs();
    run(input);
    out.push(nowMs() - t0);
    teardown(input);
  }
  return out;
}
