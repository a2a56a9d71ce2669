/**
 * Where τ²-bench's reference folder lives for tests: `$TAU2BENCH_DIR`, else
 * `../shared/tau2bench` beside the repository. Missing data is a failure, never a skip.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { repoRoot } from './taubench.ts';

export function tau2benchDir(): string {
  const dir = process.env.TAU2BENCH_DIR ?? resolve(repoRoot, '../shared/tau2bench');
  if (!existsSync(resolve(dir, 'golden')) || !existsSync(resolve(dir, 'data'))) {
    throw new Error(`τ²-bench reference data not found at ${dir} (set TAU2BENCH_DIR to the folder holding data/ and golden/)`);
  }
  return dir;
}
