import type { Command } from 'commander';
import { datasetManifestPath } from '../../dataset/dataset-dir.ts';
import { addModelOptions } from '../../llm/model-flags.ts';
import { TAU2_DOMAINS } from '../../sandbox/tau2/world.ts';
import { DOMAIN_NAMES, TAUBENCH_DOMAINS } from '../../domains/domain.ts';

/** `--kinds a,b`: the names, checked against the domain's kinds once the domain is known. */
function kindList(v: string): string[] {
  return v.split(',').map((k) => k.trim()).filter(Boolean);
}

function int(name: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got '${v}'`);
    return n;
  };
}

export interface GenerateOpts {
  domain: string;
  seed: number;
  testSeed?: number;
  users?: number;
  tasks: number;
  dev: number;
  test: number;
  kinds?: string[];
  singleRequest?: boolean;
  trainWorlds?: number;
  out: string;
  force?: boolean;
  [k: string]: unknown;
}

const FORCE_HELP = 'replace the dataset already in --out (written aside, then swapped in: old and new never mix)';

/** The options; what each command does is in data-run.ts, loaded when one runs (so help stays fast). */
const run = () => import('./data-run.ts');

export function register(program: Command): void {
  const data = program.command('data').description('Generate, import and inspect dataset directories');
  const generate = data
    .command('generate')
    .description('Generate a dataset: train/dev in the world of --seed, test in a world of another seed')
    .requiredOption('--domain <domain>', DOMAIN_NAMES.join(', '))
    .option('--seed <n>', 'world and task seed', int('seed'), 1)
    .option('--test-seed <n>', 'world seed of the test split (default: seed + 1)', int('test-seed'))
    .option('--users <n>', 'users per world (default: τ-bench size)', int('users'))
    .option('--tasks <n>', 'train tasks', int('tasks'), 500)
    .option('--dev <n>', 'dev tasks', int('dev'), 50)
    .option('--test <n>', 'test tasks', int('test'), 100)
    .option('--kinds <k1,k2>', "only these task kinds (the domain's request kinds, comma-separated)", kindList)
    .option('--single-request', 'only single-request tasks (no task combines several requests)')
    .option('--train-worlds <n>', 'worlds the train split is drawn from (seeds seed + 1000·k; spreads tasks over the id space)', int('train-worlds'))
    .requiredOption('--out <dir>', 'output folder: missing or empty (or a dataset, with --force)')
    .option('--force', FORCE_HELP);
  addModelOptions(generate, 'writer', { defaultKind: 'template', what: 'instruction writer', kinds: ['template', 'llm (needs a model)'] });
  generate.action(async (o: GenerateOpts) => (await run()).generateAction(o));
  data
    .command('import-taubench')
    .description('Import a τ-bench-layout directory (data/, tasks/, policy/, tools/) into our dataset format')
    .argument('<dir>', 'τ-bench-layout directory')
    .requiredOption('--domain <domain>', TAUBENCH_DOMAINS.join(' or '))
    .requiredOption('--out <dir>', 'output folder: missing or empty (or a dataset, with --force)')
    .option('--force', FORCE_HELP)
    .action(async (dir: string, o: { domain: string; out: string; force?: boolean }) => (await run()).importTaubenchAction(dir, o));
  data
    .command('import-tau2bench')
    .description("Import one τ²-bench domain and split (data/<domain>/ of τ²'s repository) into a self-contained dataset directory")
    .argument('<dir>', 'the τ²-bench folder holding data/<domain>/ (e.g. ../shared/tau2bench)')
    .requiredOption('--domain <domain>', TAU2_DOMAINS.join(', '))
    .option('--split <split>', 'train, test, base, small or full (default: base; banking_knowledge: full)')
    .requiredOption('--out <dir>', 'output folder: missing or empty (or a dataset, with --force)')
    .option('--force', FORCE_HELP)
    .action(async (dir: string, o: { domain: string; split?: string; out: string; force?: boolean }) => (await run()).importTau2Action(dir, o));
  data
    .command('stats')
    .description('Summarise a dataset directory (verifies hashes while loading)')
    .argument('<dir>', 'dataset directory')
    .action(async (dir: string) => {
      // A folder with no manifest fails here, as it would when loaded, before the dataset code loads.
      datasetManifestPath(dir);
      return (await run()).statsAction(dir);
    });
}
