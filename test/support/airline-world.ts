import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { airline } from '../../src/domains/airline/index.ts';
import { readTaubenchData } from '../../src/dataset/taubench.ts';
import { sortedKeys } from '../../src/py/dumps.ts';
import { strRepr } from '../../src/py/repr.ts';
import { WorldTemplate } from '../../src/sandbox/template.ts';
import type { World } from '../../src/sandbox/world.ts';

/** The τ-bench reference folder: `../shared/taubench` beside the repo, or `$TAUBENCH_DIR`. */
export function taubenchDir(): string {
  const dir = process.env.TAUBENCH_DIR ?? resolve(import.meta.dirname, '../..', '../shared/taubench');
  if (!existsSync(resolve(dir, 'golden'))) {
    throw new Error(`τ-bench reference data not found at ${dir} (set TAUBENCH_DIR to the folder holding data/, tasks/, golden/)`);
  }
  return dir;
}

let template: WorldTemplate | undefined;

/** The airline world built straight from the domain (independent of the domain registry). */
export function airlineTemplate(): WorldTemplate {
  template ??= WorldTemplate.build(airline, readTaubenchData(taubenchDir(), 'airline', airline.tables));
  return template;
}

/**
 * τ-bench's own `get_data_hash` of a world: SHA-256 of `str()` of the data as nested sorted
 * tuples. Streams per-record typed forms (cached for seeded records) instead of building the
 * multi-megabyte string.
 */
export function tauDataHash(world: World): string {
  const t = world.template;
  const changed = world.typedChanges();
  const hash = createHash('sha256');
  hash.update('(');
  sortedKeys(t.domain.tables).forEach((table, i) => {
    hash.update(`${i ? ', ' : ''}(${strRepr(table)}, (`);
    const keys = sortedKeys(world.keys(table));
    keys.forEach((key, j) => {
      const typed = changed.get(table + '\0' + key) ?? t.typedOf(table, key);
      hash.update(`${j ? ', ' : ''}(${strRepr(key)}, ${typed})`);
    });
    hash.update(keys.length === 1 ? ',))' : '))');
  });
  hash.update(')');
  return hash.digest('hex');
}
