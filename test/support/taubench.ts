/**
 * Where the τ-bench reference data lives for tests: `$TAUBENCH_DIR`, else `../shared/taubench`
 * beside the repository. Missing data is a failure with a clear message, never a skip.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');

export function taubenchDir(): string {
  const dir = process.env.TAUBENCH_DIR ?? resolve(repoRoot, '../shared/taubench');
  if (!existsSync(resolve(dir, 'golden')) || !existsSync(resolve(dir, 'data'))) {
    throw new Error(`τ-bench reference data not found at ${dir} (set TAUBENCH_DIR to the folder holding data/, tasks/, golden/)`);
  }
  return dir;
}
