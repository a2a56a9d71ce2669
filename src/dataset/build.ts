import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPath } from '../paths.ts';
import { readTextFile } from '../util/json-file.ts';
import { TAUBENCH_DOMAINS, type DomainName, type WorldData } from '../domains/domain.ts';
import { getDomain } from '../domains/registry.ts';
import { GENERATOR_VERSION, checkKinds, generateTasks } from '../generate/tasks.ts';
import { generateWorld } from '../generate/world.ts';
import type { Manifest } from './manifest.ts';
import { readTaubenchData, readTaubenchPolicy, readTaubenchTasks, taubenchSplits } from './taubench.ts';
import { ourToolDefinitions } from './tools-file.ts';
import { writeDataset, type DatasetContent, type WriteDatasetOptions } from './write.ts';

/** Our policy documents and tool descriptions live in `policies/<domain>/` at the repository root. */
export const POLICIES_DIR = repoPath('policies');

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
  /** Request kinds to draft (default: all of the domain's). */
  kinds?: readonly string[];
  /** Only single-request tasks. */
  singleRequest?: boolean;
  /**
   * Worlds the train split is drawn from (default 1): world `seed` and worlds `seed + 1000·k`,
   * tasks dealt round-robin. Several worlds spread the train tasks over more of a domain's id
   * space, so a model learns to copy ids rather than to recall the few one world holds.
   */
  trainWorlds?: number;
}

/** A generated dataset: train/dev in the world of `seed`, test in the world of `testSeed`. */
export function generateDataset(out: string, o: GenerateDatasetOptions, w: WriteDatasetOptions = {}): Manifest {
  return writeDataset(out, planGeneratedDataset(o), w);
}

/** The generated dataset in memory (instructions from the template), before it is written. */
export function planGeneratedDataset(o: GenerateDatasetOptions): DatasetContent {
  const domain = getDomain(o.domain);
  const testSeed = o.testSeed ?? o.seed + 1;
  if (testSeed === o.seed) throw new Error('the test world seed must differ from the train world seed');
  if (o.kinds) checkKinds(o.domain, o.kinds);
  const nWorlds = o.trainWorlds ?? 1;
  if (!Number.isInteger(nWorlds) || nWorlds < 1) throw new Error(`trainWorlds must be a positive integer (got ${nWorlds})`);
  const trainSeeds = Array.from({ length: nWorlds }, (_, k) => o.seed + 1000 * k);
  if (trainSeeds.includes(testSeed)) throw new Error(`the test world seed ${testSeed} is also a train world seed`);
  const trainWorlds = trainSeeds.map((seed) => ({ id: `seed-${seed}`, seed, ...generateWorld(o.domain, seed, o.users) }));
  const testWorld = generateWorld(o.domain, testSeed, o.users);
  const filter = { ...(o.kinds && { kinds: o.kinds }), ...(o.singleRequest && { singleRequest: true }) };
  const trainId = trainWorlds[0]!.id;
  const testId = `seed-${testSeed}`;
  const split = (name: string, worldId: string, data: WorldData, count: number) => ({
    name,
    world: worldId,
    seed: o.seed,
    tasks: count > 0 ? generateTasks(o.domain, data, { count, seed: o.seed, split: name, world: worldId, ...filter }) : [],
  });
  /** The train split over several worlds: each world's share generated alone, then interleaved and re-indexed. */
  const trainSplit = (count: number) => {
    if (nWorlds === 1) return split('train', trainId, trainWorlds[0]!.data, count);
    const parts = trainWorlds.map((w, k) => {
      const share = Math.floor(count / nWorlds) + (k < count % nWorlds ? 1 : 0);
      return share > 0 ? generateTasks(o.domain, w.data, { count: share, seed: `${o.seed}/${k}`, split: 'train', world: w.id, ...filter }) : [];
    });
    const tasks = Array.from({ length: count }, (_, i) => parts[i % nWorlds]![Math.floor(i / nWorlds)]!).map((t, index) => ({ ...t, id: `train/${index}`, index }));
    return { name: 'train', world: trainId, seed: o.seed, tasks };
  };
  const dir = join(POLICIES_DIR, o.domain);
  const tasks = o.tasks + o.dev + o.test;
  return {
    domain,
    source: 'generated',
    generator: { name: 'tarl-generate', version: GENERATOR_VERSION },
    worlds: [
      ...trainWorlds.map((w) => ({ id: w.id, seed: w.seed, options: w.options, data: w.data })),
      { id: testId, seed: testSeed, options: testWorld.options, data: testWorld.data },
    ],
    splits: [trainSplit(o.tasks), split('dev', trainId, trainWorlds[0]!.data, o.dev), split('test', testId, testWorld.data, o.test)],
    policy: readFileSync(join(dir, 'policy.md'), 'utf8'),
    toolsJson: JSON.stringify(ourToolDefinitions(domain, join(dir, 'tools.json')), null, 2) + '\n',
    instructions: { writer: 'template', rewritten: 0, kept: tasks },
    ...((o.kinds || o.singleRequest) && { taskFilter: { kinds: o.kinds ? [...o.kinds] : null, single_request: o.singleRequest === true } }),
  };
}

/**
 * τ-bench's data in our format: one world (`taubench`), its task splits as they are, and its own
 * policy and tool descriptions (byte-identical copies), so parity runs read the same directory type.
 */
export function importTaubench(src: string, domainName: DomainName, out: string, w: WriteDatasetOptions = {}): Manifest {
  if (!(TAUBENCH_DOMAINS as readonly string[]).includes(domainName)) throw new Error(`τ-bench has no '${domainName}' domain (${TAUBENCH_DOMAINS.join(' or ')})`);
  const domain = getDomain(domainName);
  const data = readTaubenchData(src, domain.name, domain.tables);
  const splits = taubenchSplits(src, domain.name);
  if (splits.length === 0) throw new Error(`${src} has no τ-bench tasks for ${domain.name} (expected tasks/${domain.name}_test.json, _dev or _train)`);
  return writeDataset(out, {
    domain,
    source: 'taubench',
    generator: { name: 'tarl-import-taubench', version: GENERATOR_VERSION },
    worlds: [{ id: 'taubench', seed: null, options: {}, data }],
    splits: splits.map((name) => ({
      name,
      world: 'taubench',
      seed: null,
      tasks: readTaubenchTasks(src, domain.name, name).map((t) => ({ ...t, world: 'taubench' })),
    })),
    policy: readTaubenchPolicy(src, domain.name),
    toolsJson: readTextFile(join(src, 'tools', `${domain.name}.json`), `τ-bench's ${domain.name} tool definitions`),
  }, w);
}
