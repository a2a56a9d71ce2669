/**
 * Where the τ-bench reference data lives for tests: `$TAUBENCH_DIR`, else `../shared/taubench`
 * beside the repository. Missing data is a failure with a clear message, never a skip.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export function taubenchDir(): string {
  const dir = process.env.TAUBENCH_DIR ?? resolve(repoRoot, '../shared/taubench');
  if (!existsSync(resolve(dir, 'golden')) || !existsSync(resolve(dir, 'data/retail'))) {
    throw new Error(`τ-bench reference data not found at ${dir} (set TAUBENCH_DIR to its folder)`);
  }
  return dir;
}
