import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../dataset/load.ts';
import { repoPath } from '../paths.ts';
import { currentCommit, RUN_SCHEMA_VERSION, type RunManifest } from './run-dir.ts';

let version: string | undefined;
export function tarlVersion(): string {
  version ??= (JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/**
 * The `run.json` of an evaluation-shaped run (eval, demo, judge bench): config as given, and the
 * provenance that makes every figure reproducible — commit, versions, the dataset's manifest
 * hash and world hashes, seeds, model specs (never keys).
 */
export function evalRunManifest(o: { config: Record<string, unknown>; dataset: Dataset; seed: number; models?: Record<string, unknown> }): RunManifest {
  const manifestText = readFileSync(join(o.dataset.dir, 'manifest.json'));
  return {
    schema: RUN_SCHEMA_VERSION,
    kind: 'eval',
    createdAt: new Date().toISOString(),
    config: o.config,
    provenance: {
      commit: currentCommit(),
      tarlVersion: tarlVersion(),
      node: process.version,
      data: {
        dir: o.dataset.dir,
        domain: o.dataset.manifest.domain,
        manifestSha256: createHash('sha256').update(manifestText).digest('hex'),
        worlds: o.dataset.manifest.worlds,
      },
      seeds: { run: o.seed },
      models: o.models ?? {},
    },
  };
}
