import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { join } from 'node:path';
import type { Domain } from '../domains/domain.ts';
import { getDomain } from '../domains/registry.ts';
import { parsePy } from '../py/parse.ts';
import { isDict, type PyDict } from '../py/value.ts';
import { WorldTemplate } from '../sandbox/template.ts';
import type { ToolDefinition } from '../sandbox/tool-schema.ts';
import { parseJsonText, readJsonFile } from '../util/json-file.ts';
import { datasetManifestPath } from './dataset-dir.ts';
import { Manifest } from './manifest.ts';
import type { Task } from './task.ts';
import { taskFromLine } from './task-record.ts';
import { ToolDefinitions } from './tools-file.ts';
import { sha256 } from './write.ts';

export interface Dataset {
  dir: string;
  manifest: Manifest;
  domain: Domain;
  /** World templates by world id (built once at load). */
  worlds: Map<string, WorldTemplate>;
  /** Tasks by split name, kwargs as PyDict (ints stay ints, floats stay floats, key order kept). */
  tasks: Map<string, Task[]>;
  policy: string;
  tools: ToolDefinition[];
  /** The world a task runs in. */
  worldOf(task: Task): WorldTemplate;
}

/**
 * Reads a dataset directory (see docs/dataset.md). Every file's SHA-256 is checked against the
 * manifest and every world's state hash against its recorded one, so a hand-edited or truncated
 * dataset fails loudly instead of grading against the wrong data.
 */
export function loadDataset(dir: string): Dataset {
  const { manifest, read } = openDataset(dir);
  const domain = getDomain(manifest.domain);
  const worlds = new Map<string, WorldTemplate>();
  for (const [id, entry] of Object.entries(manifest.worlds)) {
    const data = new Map<string, Map<string, PyDict>>();
    for (const table of domain.tables) {
      const parsed = parsePy(read(`worlds/${id}/${table}.json`));
      if (!isDict(parsed)) throw new Error(`worlds/${id}/${table}.json is not an object`);
      data.set(table, parsed as Map<string, PyDict>);
    }
    const template = WorldTemplate.build(domain, data);
    if (template.initialStateHash !== entry.state_hash) throw new Error(`world ${id}: state hash differs from the manifest`);
    worlds.set(id, template);
  }
  const tasks = readSplits(manifest, read);
  const toolsFile = join(dir, manifest.tools);
  const toolsParsed = ToolDefinitions.safeParse(parseJsonText(read(manifest.tools), toolsFile));
  if (!toolsParsed.success) throw new Error(`${toolsFile}: not a list of tool definitions (${z.prettifyError(toolsParsed.error).replace(/\n/g, '; ')})`);
  const tools = toolsParsed.data as ToolDefinition[];
  return {
    dir,
    manifest,
    domain,
    worlds,
    tasks,
    policy: read(manifest.policy),
    tools,
    worldOf(task: Task): WorldTemplate {
      const id = task.world ?? manifest.splits[task.split]?.world;
      const w = id === undefined ? undefined : worlds.get(id);
      if (!w) throw new Error(`task ${task.id}: unknown world '${String(id)}'`);
      return w;
    },
  };
}

/** The manifest of a dataset directory and a reader of its files that checks each one's hash. */
function openDataset(dir: string): { manifest: Manifest; read: (rel: string) => string } {
  const manifestPath = datasetManifestPath(dir);
  const parsed = Manifest.safeParse(readJsonFile(manifestPath, "a dataset's manifest"));
  if (!parsed.success) throw new Error(`${manifestPath}: not a tarl dataset manifest (${z.prettifyError(parsed.error).replace(/\n/g, '; ')})`);
  const manifest = parsed.data;
  const read = (rel: string): string => {
    const path = join(dir, rel);
    if (!existsSync(path)) throw new Error(`${path} is missing (${manifestPath} lists it; regenerate or re-import the dataset)`);
    const text = readFileSync(path, 'utf8');
    const want = manifest.files[rel];
    if (want === undefined) throw new Error(`${rel} is not listed in ${dir}/manifest.json`);
    if (sha256(text) !== want) throw new Error(`${rel}: content does not match the manifest hash`);
    return text;
  };
  return { manifest, read };
}

function readSplits(manifest: Manifest, read: (rel: string) => string): Map<string, Task[]> {
  const tasks = new Map<string, Task[]>();
  for (const [split, entry] of Object.entries(manifest.splits)) {
    const lines = read(entry.file).split('\n').filter((l) => l.length > 0);
    const list = lines.map((line, i) => {
      const t = taskFromLine(line, manifest.domain, split, i);
      return t.world ? t : { ...t, world: entry.world };
    });
    if (list.length !== entry.count) throw new Error(`${entry.file}: ${list.length} tasks, manifest says ${entry.count}`);
    tasks.set(split, list);
  }
  return tasks;
}

/**
 * A dataset's tasks alone (ground truth, kinds), checked against the manifest like `loadDataset`
 * but without building any world: what readers of finished runs (the viewer) need.
 */
export function loadDatasetTasks(dir: string): { manifest: Manifest; tasks: Map<string, Task[]> } {
  const { manifest, read } = openDataset(dir);
  return { manifest, tasks: readSplits(manifest, read) };
}
