import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root: the nearest directory above this module whose package.json is ours. Found
 * by walking up rather than by a fixed `../..`, so the same code works from the TypeScript sources
 * and from the bundle in `dist/`.
 */
function findRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'tarl') return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find the tarl package root above ${fileURLToPath(import.meta.url)}`);
  }
}

export const REPO_ROOT = findRoot();

/** A path inside the repository. */
export const repoPath = (...parts: string[]): string => join(REPO_ROOT, ...parts);
