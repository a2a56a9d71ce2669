/**
 * τ²-bench's data folder (`data/tau2/domains/<domain>/` layout, as in `../shared/tau2bench/data`):
 * each domain's world (built once per process and folder) and its tasks with their splits.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parsePy } from '../py/parse.ts';
import { isDict, isList, type PyValue } from '../py/value.ts';
import { loadAirline } from '../domains/tau2-airline/index.ts';
import { loadBanking } from '../domains/tau2-banking/index.ts';
import { loadDocuments, type RetrievalVariant } from '../domains/tau2-banking/knowledge.ts';
import { embeddingSearch, SyncEmbeddings, type EmbeddingsEndpoint } from '../sandbox/tau2/embeddings.ts';
import { loadRetail } from '../domains/tau2-retail/index.ts';
import { loadTelecom } from '../domains/tau2-telecom/index.ts';
import { isTau2Domain, TAU2_DOMAINS, type Tau2DomainName, type Tau2World } from '../sandbox/tau2/world.ts';
import { parseTau2Task, type Tau2Task } from './tau2-task.ts';

/** Accepts the folder holding `data/<domain>/` (like `../shared/tau2bench`) or `<domain>/` folders directly. */
export function tau2DomainDir(dir: string, domain: Tau2DomainName): string {
  for (const candidate of [join(dir, 'data', domain), join(dir, domain), join(dir, 'data', 'tau2', 'domains', domain)]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no τ²-bench data for '${domain}' under ${dir} (expected ${join(dir, 'data', domain)})`);
}

export function checkTau2Domain(name: string): Tau2DomainName {
  if (!isTau2Domain(name)) throw new Error(`unknown τ²-bench domain '${name}' (known: ${TAU2_DOMAINS.join(', ')})`);
  return name;
}

const worlds = new Map<string, Tau2World>();

export interface WorldOptions {
  /** banking_knowledge: the retrieval variant (default `no_knowledge`). */
  retrieval?: RetrievalVariant;
  /** banking_knowledge `openai_embeddings*`: the embeddings endpoint. */
  embeddings?: EmbeddingsEndpoint;
  /** telecom: `workflow` selects τ²'s `telecom-workflow` policy (default `manual`). */
  policyType?: 'manual' | 'workflow';
}

/** The domain's world from a τ² data folder, loaded once per process (and per option set). */
export function loadTau2World(dir: string, domain: Tau2DomainName, opts: WorldOptions = {}): Tau2World {
  const d = tau2DomainDir(dir, domain);
  const key = `${resolve(d)}\0${domain}\0${opts.retrieval ?? ''}\0${opts.embeddings?.baseUrl ?? ''}\0${opts.embeddings?.model ?? ''}\0${opts.policyType ?? ''}`;
  let w = worlds.get(key);
  if (!w) {
    if (domain === 'airline') w = loadAirline(d);
    else if (domain === 'retail') w = loadRetail(d);
    else if (domain === 'telecom') w = loadTelecom(d, opts.policyType ? { policyType: opts.policyType } : {});
    else {
      const docs = loadDocuments(d);
      w = loadBanking(d, {
        ...(opts.retrieval && { variant: opts.retrieval }),
        ...(opts.embeddings && { embeddings: embeddingSearch(new SyncEmbeddings(opts.embeddings), docs) }),
      });
    }
    worlds.set(key, w);
  }
  return w;
}

export interface Tau2TaskSet {
  domain: Tau2DomainName;
  /** Every task, in task-file order (banking: `tasks/task_*.json` sorted by name). */
  tasks: Tau2Task[];
  /** `split_tasks.json` (absent for banking, which has none). */
  splits: Map<string, string[]>;
}

const taskSets = new Map<string, Tau2TaskSet>();

function readJson(file: string): PyValue {
  try {
    return parsePy(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function loadTau2Tasks(dir: string, domain: Tau2DomainName): Tau2TaskSet {
  const d = tau2DomainDir(dir, domain);
  const key = resolve(d);
  let set = taskSets.get(key);
  if (set) return set;
  let tasks: Tau2Task[];
  const taskDir = join(d, 'tasks');
  if (domain === 'banking_knowledge' && existsSync(taskDir)) {
    const files = readdirSync(taskDir)
      .filter((f) => /^task_.*\.json$/.test(f))
      .sort();
    tasks = files.map((f, i) => parseTau2Task(readJson(join(taskDir, f)), i, join(taskDir, f)));
  } else {
    const file = join(d, 'tasks.json');
    const raw = readJson(file);
    const list = isDict(raw) && isList(raw.get('tasks')) ? (raw.get('tasks') as PyValue[]) : raw;
    if (!isList(list)) throw new Error(`${file}: expected a list of tasks`);
    tasks = list.map((t, i) => parseTau2Task(t, i, file));
  }
  const splits = new Map<string, string[]>();
  const splitFile = join(d, 'split_tasks.json');
  if (existsSync(splitFile)) {
    const raw = readJson(splitFile);
    if (!isDict(raw)) throw new Error(`${splitFile}: expected an object of split name → task ids`);
    for (const [name, ids] of raw) {
      if (!isList(ids) || !ids.every((x) => typeof x === 'string')) throw new Error(`${splitFile}: split '${name}' must list task ids`);
      splits.set(name, ids as string[]);
    }
  }
  set = { domain, tasks, splits };
  taskSets.set(key, set);
  return set;
}

/** The tasks of a split (`full` = every task when the file has no such split; banking has only `full`). */
export function tasksOfSplit(set: Tau2TaskSet, split: string): Tau2Task[] {
  const ids = set.splits.get(split);
  if (!ids) {
    if (split === 'full') return set.tasks;
    throw new Error(`τ²-bench ${set.domain} has no split '${split}' (splits: ${['full', ...set.splits.keys()].join(', ')})`);
  }
  const byId = new Map(set.tasks.map((t) => [t.id, t]));
  return ids.map((id) => {
    const t = byId.get(id);
    if (!t) throw new Error(`split '${split}' names task '${id}', which ${set.domain}'s task file lacks`);
    return t;
  });
}
