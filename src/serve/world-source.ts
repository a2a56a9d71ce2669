import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readTaubenchPolicy, readTaubenchTasks, taubenchSplits } from '../dataset/taubench.ts';
import type { Task } from '../dataset/task.ts';
import { loadTaubenchWorld } from '../dataset/world.ts';
import { DOMAIN_NAMES, type DomainName } from '../domains/domain.ts';
import type { WorldTemplate } from '../sandbox/template.ts';
import { Verifier } from '../verify/verifier.ts';

/** Everything the service needs about one domain of a dataset: its world, tasks and verifier. */
export interface ServedDomain {
  name: DomainName;
  template: WorldTemplate;
  verifier: Verifier;
  policy: string;
  /** Tasks per split, in split order (the task index is the position). */
  splits: ReadonlyMap<string, readonly Task[]>;
}

/**
 * Loads the domains a dataset directory holds. This is the one file to switch when the generated
 * dataset format (`loadDataset(dir)`) lands; until then it reads τ-bench's layout
 * (`data/<domain>/`, `tasks/<domain>_<split>.json`, `policy/<domain>.md`).
 */
export function loadServedDomains(dir: string, only?: string): ServedDomain[] {
  const root = resolve(dir);
  if (!existsSync(root)) throw new Error(`dataset directory '${root}' does not exist`);
  const names = only ? [only] : DOMAIN_NAMES.filter((d) => existsSync(join(root, 'data', d)));
  if (names.length === 0) throw new Error(`no domain data under '${root}/data' (expected one of ${DOMAIN_NAMES.join(', ')})`);
  return names.map((name): ServedDomain => {
    if (!(DOMAIN_NAMES as readonly string[]).includes(name)) {
      throw new Error(`unknown domain '${name}' (known: ${DOMAIN_NAMES.join(', ')})`);
    }
    const domain = name as DomainName;
    const template = loadTaubenchWorld(root, domain);
    const splits = new Map<string, readonly Task[]>();
    for (const split of taubenchSplits(root, domain)) splits.set(split, readTaubenchTasks(root, domain, split));
    const policyFile = join(root, 'policy', `${domain}.md`);
    const policy = existsSync(policyFile) ? readTaubenchPolicy(root, domain) : '';
    return { name: domain, template, verifier: new Verifier(template), policy, splits };
  });
}
