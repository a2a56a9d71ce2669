import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DomainName, WorldData } from '../domains/domain.ts';
import { getDomain } from '../domains/registry.ts';
import { generateAirlineWorld, AIRLINE_DEFAULTS } from '../generate/airline/world.ts';
import { generateRetailWorld, RETAIL_DEFAULTS } from '../generate/retail/world.ts';
import { GENERATOR_VERSION, generateTasks } from '../generate/tasks.ts';
import type { Manifest } from './manifest.ts';
import { readTaubenchData, readTaubenchPolicy, readTaubenchTasks, taubenchSplits } from './taubench.ts';
import { ourToolDefinitions } from './tools-file.ts';
import { writeDataset, type DatasetContent } from './write.ts';

/** Our policy documents and tool descriptions live in `policies/<domain>/` at the repository root. */
export const POLICIES_DIR = fileURLToPath(new URL('../../policies/', import.meta.url));

export interface GenerateDatasetOptions {
  domain: DomainName;
  /** World seed of train and dev; the task seeds derive from it too. */
  seed: number;
  /** World seed of test (default seed + 1): evaluation never sees train's ids. */
  testSeed?: number;
  /** Users per world (other tables scale with it as in τ-bench). */
  users?: number;
  tasks: number;
  dev: number;
  test: number;
}

function world(domain: DomainName, seed: number, users: number | undefined): { data: WorldData; options: Record<string, number | string> } {
  if (domain === 'retail') {
    const options = users === undefined ? RETAIL_DEFAULTS : { ...RETAIL_DEFAULTS, users, orders: users * 2 };
    return { data: generateRetailWorld(seed, options), options: { ...options } };
  }
  const options = users === undefined ? AIRLINE_DEFAULTS : { ...AIRLINE_DEFAULTS, users, reservations: users * 4 };
  return { data: generateAirlineWorld(seed, options), options: { ...options } };
}

/** A generated dataset: train/dev in the world of `seed`, test in the world of `testSeed`. */
export function generateDataset(out: string, o: GenerateDatasetOptions): Manifest {
  return writeDataset(out, planGeneratedDataset(o));
}

/** The generated dataset in memory (instructions from the template), before it is written. */
export function planGeneratedDataset(o: GenerateDatasetOptions): DatasetContent {
  const domain = getDomain(o.domain);
  const testSeed = o.testSeed ?? o.seed + 1;
  if (testSeed === o.seed) throw new Error('the test world seed must differ from the train world seed');
  const trainWorld = world(o.domain, o.seed, o.users);
  const testWorld = world(o.domain, testSeed, o.users);
  const trainId = `seed-${o.seed}`;
  const testId = `seed-${testSeed}`;
  const split = (name: string, worldId: string, data: WorldData, count: number) => ({
    name,
    world: worldId,
    seed: o.seed,
    tasks: count > 0 ? generateTasks(o.domain, data, { count, seed: o.seed, split: name, world: worldId }) : [],
  });
  const dir = join(POLICIES_DIR, o.domain);
  const tasks = o.tasks + o.dev + o.test;
  return {
    domain,
    source: 'generated',
    generator: { name: 'tarl-generate', version: GENERATOR_VERSION },
    worlds: [
      { id: trainId, seed: o.seed, options: trainWorld.options, data: trainWorld.data },
      { id: testId, seed: testSeed, options: testWorld.options, data: testWorld.data },
    ],
    splits: [split('train', trainId, trainWorld.data, o.tasks), split('dev', trainId, trainWorld.data, o.dev), split('test', testId, testWorld.data, o.test)],
    policy: readFileSync(join(dir, 'policy.md'), 'utf8'),
    toolsJson: JSON.stringify(ourToolDefinitions(domain, join(dir, 'tools.json')), null, 2) + '\n',
    instructions: { writer: 'template', rewritten: 0, kept: tasks },
  };
}

/**
 * τ-bench's data in our format: one world (`taubench`), its task splits as they are, and its own
 * policy and tool descriptions (byte-identical copies), so parity runs read the same directory type.
 */
export function importTaubench(src: string, domainName: DomainName, out: string): Manifest {
  const domain = getDomain(domainName);
  const data = readTaubenchData(src, domain.name, domain.tables);
  return writeDataset(out, {
    domain,
    source: 'taubench',
    generator: { name: 'tarl-import-taubench', version: GENERATOR_VERSION },
    worlds: [{ id: 'taubench', seed: null, options: {}, data }],
    splits: taubenchSplits(src, domain.name).map((name) => ({
      name,
      world: 'taubench',
      seed: null,
      tasks: readTaubenchTasks(src, domain.name, name).map((t) => ({ ...t, world: 'taubench' })),
    })),
    policy: readTaubenchPolicy(src, domain.name),
    toolsJson: readFileSync(join(src, 'tools', `${domain.name}.json`), 'utf8'),
  });
}
