/**
 * What a dataset folder holds, told from its manifest.json alone. Light on purpose (no dataset
 * code, no schemas): commands check a folder with it before importing the code that loads one,
 * which is most of their startup.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile } from '../util/json-file.ts';

/** The `format` of a τ² dataset's manifest (`tarl data import-tau2bench`). */
export const TAU2_DATASET_FORMAT = 'tarl-tau2-dataset';

/** `dir`'s manifest.json; an error saying how to make a dataset when there is none. */
export function datasetManifestPath(dir: string): string {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) throw new Error(`${dir} is not a dataset directory (no manifest.json); make one with 'tarl data generate' or 'tarl data import-taubench'`);
  return path;
}

/** The manifest's JSON, not yet validated, when `dir` holds a τ² dataset; undefined otherwise. */
export function tau2ManifestJson(dir: string): object | undefined {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return undefined;
  const raw = readJsonFile(path, "a dataset's manifest");
  return typeof raw === 'object' && raw !== null && (raw as { format?: unknown }).format === TAU2_DATASET_FORMAT ? raw : undefined;
}
