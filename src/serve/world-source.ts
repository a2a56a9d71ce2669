import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDataset } from '../dataset/load.ts';
import { readTaubenchPolicy, readTaubenchTasks, taubenchSplits } from '../dataset/taubench.ts';
import type { Task } from '../dataset/task.ts';
import { loadTaubenchWorld } from '../dataset/world.ts';
import { DOMAIN_NAMES, type Domain, type DomainName } from '../domains/domain.ts';
import { getDomain } from '../domains/registry.ts';
import type { WorldTemplate } from '../sandbox/template.ts';
import { toolDefinition, type ToolDefinition } from '../sandbox/tool-schema.ts';
import { Verifier } from '../verify/verifier.ts';

/** A world and the verifier that grades tasks in it. */
export interface ServedWorld {
  template: WorldTemplate;
  verifier: Verifier;
}

/** Everything the service needs about one domain of a dataset: worlds, tasks, tool list, policy. */
export interface ServedDomain {
  name: DomainName;
  domain: Domain;
  policy: string;
  /** The agent-facing tool definitions (the dataset's own descriptions when it has them). */
  tools: readonly ToolDefinition[];
  /** Tasks per split, in split order (the task index is the position). */
  splits: ReadonlyMap<string, readonly Task[]>;
  /** The world a task runs in; a session without a task gets the domain's default world. */
  world(task: Task | null): ServedWorld;
}

function served(template: WorldTemplate): ServedWorld {
  return { template, verifier: new Verifier(template) };
}

/**
 * Loads the domains a directory holds: a dataset directory (`manifest.json`, from `tarl data
 * generate` or `import-taubench`; one domain, possibly several worlds — e.g. test in another world
 * than train) or a directory in τ-bench's layout (`data/<domain>/`, `tasks/`, `policy/`).
 */
export function loadServedDomains(dir: string, only?: string): ServedDomain[] {
  const root = resolve(dir);
  if (!existsSync(root)) throw new Error(`dataset directory '${root}' does not exist`);
  if (existsSync(join(root, 'manifest.json'))) {
    const ds = loadDataset(root);
    if (only !== undefined && only !== ds.domain.name) throw new Error(`dataset '${root}' holds domain '${ds.domain.name}', not '${only}'`);
    const worlds = new Map<WorldTemplate, ServedWorld>([...ds.worlds.values()].map((t) => [t, served(t)]));
    const fallback = [...worlds.values()][0];
    if (!fallback) throw new Error(`dataset '${root}' has no world`);
    return [
      {
        name: ds.domain.name,
        domain: ds.domain,
        policy: ds.policy,
        tools: ds.tools,
        splits: ds.tasks,
        world: (task) => (task ? worlds.get(ds.worldOf(task))! : fallback),
      },
    ];
  }
  const names = only ? [only] : DOMAIN_NAMES.filter((d) => existsSync(join(root, 'data', d)));
  if (names.length === 0) throw new Error(`no manifest.json and no domain data under '${root}/data' (expected a dataset directory or τ-bench's layout)`);
  return names.map((name): ServedDomain => {
    const domain = getDomain(name);
    const world = served(loadTaubenchWorld(root, domain.name));
    const splits = new Map<string, readonly Task[]>();
    for (const split of taubenchSplits(root, domain.name)) splits.set(split, readTaubenchTasks(root, domain.name, split));
    const policy = existsSync(join(root, 'policy', `${domain.name}.md`)) ? readTaubenchPolicy(root, domain.name) : '';
    return { name: domain.name, domain, policy, tools: domain.tools.map(toolDefinition), splits, world: () => world };
  });
}
