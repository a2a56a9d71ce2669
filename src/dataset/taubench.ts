import { existsSync } from 'node:fs';
import { readTextFile } from '../util/json-file.ts';
import { join } from 'node:path';
import type { DomainName, WorldData } from '../domains/domain.ts';
import { parsePy } from '../py/parse.ts';
import { isDict, isList, type PyDict, type PyValue } from '../py/value.ts';
import type { Action, Task } from './task.ts';

/**
 * Reader for a directory in τ-bench's layout (`../shared/taubench`): `data/<domain>/<table>.json`,
 * `tasks/<domain>_<split>.json`, `policy/<domain>.md`, `tools/<domain>.json`.
 */
export function readTaubenchData(dir: string, domain: DomainName, tables: readonly string[]): WorldData {
  checkTaubenchLayout(dir, domain);
  const data: WorldData = new Map();
  for (const table of tables) {
    const file = join(dir, 'data', domain, `${table}.json`);
    const parsed = parsePy(readTextFile(file, `τ-bench's ${domain} ${table} table`));
    if (!isDict(parsed)) throw new Error(`${file}: expected a JSON object of records`);
    const records = new Map<string, PyDict>();
    for (const [key, doc] of parsed) {
      if (!isDict(doc)) throw new Error(`${file}: record '${key}' is not an object`);
      records.set(key, doc);
    }
    data.set(table, records);
  }
  return data;
}

/**
 * Refuses a folder that is not in τ-bench's layout with one sentence naming what is missing and
 * what was expected — a tarl dataset folder (manifest.json) is the common mix-up.
 */
export function checkTaubenchLayout(dir: string, domain: DomainName): void {
  if (existsSync(join(dir, 'data', domain))) return;
  const layout = `data/${domain}/<table>.json, tasks/${domain}_<split>.json, policy/${domain}.md and tools/${domain}.json, as in ../shared/taubench`;
  if (!existsSync(dir)) throw new Error(`${dir} does not exist (expected a folder in τ-bench's layout: ${layout})`);
  const hint = existsSync(join(dir, 'manifest.json')) ? `; ${dir} looks like a tarl dataset folder, which 'tarl eval --data' and 'tarl serve' read` : '';
  throw new Error(`${dir} holds no τ-bench data for ${domain}: no data/${domain}/ folder (expected ${layout})${hint}`);
}

/** The splits a τ-bench-layout directory has for a domain (from its task file names). */
export function taubenchSplits(dir: string, domain: DomainName): string[] {
  return ['train', 'dev', 'test'].filter((s) => existsSync(join(dir, 'tasks', `${domain}_${s}.json`)));
}

function str(v: PyValue | undefined, what: string): string {
  if (typeof v !== 'string') throw new Error(`task field '${what}' must be a string`);
  return v;
}

/** Reads `tasks/<domain>_<split>.json`, keeping kwargs lossless (ints stay ints, key order kept). */
export function readTaubenchTasks(dir: string, domain: DomainName, split: string): Task[] {
  const file = join(dir, 'tasks', `${domain}_${split}.json`);
  const parsed = parsePy(readTextFile(file, `τ-bench's ${domain} ${split} tasks`));
  if (!isList(parsed)) throw new Error(`${file}: expected a JSON array of tasks`);
  return parsed.map((raw, index): Task => {
    if (!isDict(raw)) throw new Error(`${file}: task ${index} is not an object`);
    const actionsRaw = raw.get('actions');
    if (!isList(actionsRaw)) throw new Error(`${file}: task ${index} has no actions list`);
    const actions: Action[] = actionsRaw.map((a) => {
      if (!isDict(a)) throw new Error(`${file}: task ${index} has a malformed action`);
      const kwargs = a.get('kwargs');
      return { name: str(a.get('name'), 'actions.name'), kwargs: isDict(kwargs) ? kwargs : new Map() };
    });
    const outputs = raw.get('outputs');
    const annotator = raw.get('annotator');
    return {
      id: `${split}/${index}`,
      domain,
      split,
      index,
      userId: str(raw.get('user_id'), 'user_id'),
      instruction: str(raw.get('instruction'), 'instruction'),
      actions,
      outputs: isList(outputs) ? outputs.map((o) => str(o, 'outputs')) : [],
      ...(typeof annotator === 'string' ? { annotator } : {}),
    };
  });
}

export function readTaubenchPolicy(dir: string, domain: DomainName): string {
  return readTextFile(join(dir, 'policy', `${domain}.md`), `τ-bench's ${domain} policy`);
}
