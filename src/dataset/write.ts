import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Domain, WorldData } from '../domains/domain.ts';
import { dumps } from '../py/dumps.ts';
import type { PyDict } from '../py/value.ts';
import { outputState, type OutputState } from '../run/output-dir.ts';
import { WorldTemplate } from '../sandbox/template.ts';
import { DATASET_FORMAT_VERSION, Manifest, type SplitEntry, type WorldEntry } from './manifest.ts';
import type { Task } from './task.ts';
import { taskToLine } from './task-record.ts';

export interface DatasetContent {
  domain: Domain;
  source: Manifest['source'];
  generator: Manifest['generator'];
  worlds: { id: string; seed: number | null; options: Record<string, number | string>; data: WorldData }[];
  splits: { name: string; world: string; seed: number | null; tasks: Task[] }[];
  policy: string;
  instructions?: Manifest['instructions'];
  /** Generated datasets asked for a subset of tasks (recorded as the manifest's `task_filter`). */
  taskFilter?: Manifest['task_filter'];
  /** The tool definitions file, already serialised (OpenAI function format). */
  toolsJson: string;
}

export interface WriteDatasetOptions {
  /** Replace a dataset already in `dir` (`--force`); without it an existing dataset is refused. */
  replace?: boolean;
}

/**
 * Writes a dataset directory: `manifest.json`, `policy.md`, `tools.json`,
 * `worlds/<id>/<table>.json` (τ-bench's table files: one JSON object of records) and
 * `tasks/<split>.jsonl`. Nothing time- or machine-dependent goes in, so the same inputs give
 * byte-identical files. Written beside `dir` and renamed into place (see `writeDirAside`).
 */
export function writeDataset(dir: string, c: DatasetContent, o: WriteDatasetOptions = {}): Manifest {
  return writeDirAside(dir, o, (tmp) => writeDatasetFiles(tmp, c));
}

/** Whether a dataset may be written to `dir` (see run/output-dir.ts); commands call it before any work. */
export function checkDatasetOutput(dir: string, o: WriteDatasetOptions): OutputState {
  const state = outputState(dir, 'dataset');
  if (state === 'own' && !o.replace) throw new Error(`${dir} already holds a dataset (--force replaces it, or choose another --out)`);
  return state;
}

/**
 * Makes a dataset folder atomically: `fill` writes into a sibling temporary folder, which is then
 * renamed to `dir`, so a crash never leaves a half-written dataset and regenerating never mixes
 * old worlds with new ones. `dir` must be missing, empty, or (with `replace`) a dataset; the old
 * one is renamed aside first and removed once the new one is in place.
 */
export function writeDirAside<T>(dir: string, o: WriteDatasetOptions, fill: (tmp: string) => T): T {
  const state = checkDatasetOutput(dir, o);
  const parent = dirname(resolve(dir));
  mkdirSync(parent, { recursive: true });
  const tmp = mkdtempSync(join(parent, `.${basename(resolve(dir))}.writing-`));
  let result: T;
  try {
    result = fill(tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  let old: string | undefined;
  if (state === 'empty') rmdirSync(dir);
  else if (state === 'own') renameSync(dir, (old = `${tmp}.old`));
  renameSync(tmp, dir);
  if (old) rmSync(old, { recursive: true, force: true });
  return result;
}

function writeDatasetFiles(dir: string, c: DatasetContent): Manifest {
  const files: Record<string, string> = {};
  const put = (rel: string, text: string): void => {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    files[rel] = sha256(text);
  };
  const worlds: Record<string, WorldEntry> = {};
  for (const w of c.worlds) {
    const counts: Record<string, number> = {};
    for (const table of c.domain.tables) {
      const records = w.data.get(table) ?? new Map<string, PyDict>();
      counts[table] = records.size;
      put(`worlds/${w.id}/${table}.json`, dumps(records) + '\n');
    }
    worlds[w.id] = { seed: w.seed, options: w.options, counts, state_hash: WorldTemplate.build(c.domain, w.data).initialStateHash };
  }
  const splits: Record<string, SplitEntry> = {};
  for (const s of c.splits) {
    const file = `tasks/${s.name}.jsonl`;
    put(file, s.tasks.map((t) => taskToLine(t) + '\n').join(''));
    const kinds: Record<string, number> = {};
    for (const t of s.tasks) if (t.kind) kinds[t.kind] = (kinds[t.kind] ?? 0) + 1;
    splits[s.name] = { world: s.world, file, count: s.tasks.length, seed: s.seed, kinds: Object.fromEntries(Object.entries(kinds).sort()) };
  }
  put('policy.md', c.policy);
  put('tools.json', c.toolsJson);
  const manifest = Manifest.parse({
    format: 'tarl-dataset',
    version: DATASET_FORMAT_VERSION,
    domain: c.domain.name,
    source: c.source,
    generator: c.generator,
    worlds,
    splits,
    ...(c.instructions && { instructions: c.instructions }),
    ...(c.taskFilter && { task_filter: c.taskFilter }),
    policy: 'policy.md',
    tools: 'tools.json',
    files: Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : 1))),
  });
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}
