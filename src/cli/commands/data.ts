import type { Command } from 'commander';
import { importTaubench, planGeneratedDataset } from '../../dataset/build.ts';
import { rewriteInstructions } from '../../dataset/rewrite-instructions.ts';
import { writeDataset } from '../../dataset/write.ts';
import { addModelOptions, modelSpecFromOptions } from '../../llm/model-spec.ts';
import { chatClientFromSpec } from '../../llm/spec-client.ts';
import { loadDataset } from '../../dataset/load.ts';
import { checkTau2Domain } from '../../dataset/tau2.ts';
import { defaultSplit, importTau2, readTau2Manifest, tau2Stats } from '../../dataset/tau2-import.ts';
import { TAU2_DOMAINS } from '../../sandbox/tau2/world.ts';
import { isDomainName } from '../../domains/registry.ts';
import { DOMAIN_NAMES, TAUBENCH_DOMAINS, type DomainName } from '../../domains/domain.ts';

function domainOf(name: string): DomainName {
  if (!isDomainName(name)) throw new Error(`unknown domain '${name}' (${DOMAIN_NAMES.join(', ')})`);
  return name;
}

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

interface GenerateOpts {
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
  [k: string]: unknown;
}

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
    .requiredOption('--out <dir>', 'output directory');
  addModelOptions(generate, 'writer', { defaultKind: 'template', what: 'instruction writer (template, or llm with a model)' });
  generate.action(async (o: GenerateOpts) => {
    const writer = modelSpecFromOptions('writer', o);
    if (writer.kind !== 'template' && writer.kind !== 'llm') throw new Error(`--writer must be template or llm (got '${writer.kind}')`);
    if (writer.kind === 'llm' && !writer.llm) throw new Error('--writer llm needs a model (--writer-model NAME)');
    const content = planGeneratedDataset({
      domain: domainOf(o.domain),
      seed: o.seed,
      ...(o.testSeed !== undefined ? { testSeed: o.testSeed } : {}),
      ...(o.users !== undefined ? { users: o.users } : {}),
      tasks: o.tasks,
      dev: o.dev,
      test: o.test,
      ...(o.kinds !== undefined ? { kinds: o.kinds } : {}),
      ...(o.singleRequest ? { singleRequest: true } : {}),
      ...(o.trainWorlds !== undefined ? { trainWorlds: o.trainWorlds } : {}),
    });
    if (writer.kind === 'llm' && writer.llm) {
      const r = await rewriteInstructions(content, chatClientFromSpec(writer.llm), writer.llm.concurrency ?? 4);
      process.stdout.write(`instructions: ${r.rewritten} rewritten by ${writer.llm.model}, ${r.kept.length} kept from the template\n`);
      for (const k of r.kept.slice(0, 10)) process.stdout.write(`  kept ${k.taskId}: ${k.reason}\n`);
    }
    const m = writeDataset(o.out, content);
    process.stdout.write(`wrote ${o.out}: ${Object.entries(m.splits).map(([s, e]) => `${s} ${e.count}`).join(', ')}\n`);
  });
  data
    .command('import-taubench')
    .description('Import a τ-bench-layout directory (data/, tasks/, policy/, tools/) into our dataset format')
    .argument('<dir>', 'τ-bench-layout directory')
    .requiredOption('--domain <domain>', TAUBENCH_DOMAINS.join(' or '))
    .requiredOption('--out <dir>', 'output directory')
    .action((dir: string, o: { domain: string; out: string }) => {
      const m = importTaubench(dir, domainOf(o.domain), o.out);
      process.stdout.write(`wrote ${o.out}: ${Object.entries(m.splits).map(([s, e]) => `${s} ${e.count}`).join(', ')}\n`);
    });
  data
    .command('import-tau2bench')
    .description("Import one τ²-bench domain and split (data/<domain>/ of τ²'s repository) into a self-contained dataset directory")
    .argument('<dir>', 'the τ²-bench folder holding data/<domain>/ (e.g. ../shared/tau2bench)')
    .requiredOption('--domain <domain>', TAU2_DOMAINS.join(', '))
    .option('--split <split>', 'train, test, base, small or full (default: base; banking_knowledge: full)')
    .requiredOption('--out <dir>', 'output directory')
    .action((dir: string, o: { domain: string; split?: string; out: string }) => {
      const domain = checkTau2Domain(o.domain);
      const m = importTau2(dir, domain, o.out, o.split ?? defaultSplit(domain));
      process.stdout.write(`wrote ${o.out}: ${m.domain} ${m.split} ${m.tasks.length} tasks\n`);
    });
  data
    .command('stats')
    .description('Summarise a dataset directory (verifies hashes while loading)')
    .argument('<dir>', 'dataset directory')
    .action((dir: string) => {
      const tau2 = readTau2Manifest(dir);
      if (tau2) {
        process.stdout.write(tau2Stats(dir, tau2));
        return;
      }
      const ds = loadDataset(dir);
      const m = ds.manifest;
      const lines = [`domain ${m.domain}  source ${m.source}  generator ${m.generator.name}@${m.generator.version}`];
      for (const [id, w] of Object.entries(m.worlds)) {
        lines.push(`world ${id}  seed ${String(w.seed)}  ${Object.entries(w.counts).map(([t, n]) => `${t} ${n}`).join('  ')}  hash ${w.state_hash.slice(0, 12)}`);
      }
      for (const [split, tasks] of ds.tasks) {
        const byDifficulty = new Map<string, number>();
        for (const t of tasks) byDifficulty.set(String(t.difficulty ?? '-'), (byDifficulty.get(String(t.difficulty ?? '-')) ?? 0) + 1);
        const writes = tasks.reduce((s, t) => s + t.actions.length, 0);
        lines.push(
          `split ${split}  world ${m.splits[split]!.world}  tasks ${tasks.length}  actions/task ${(writes / Math.max(1, tasks.length)).toFixed(2)}` +
            `  with outputs ${tasks.filter((t) => t.outputs.length > 0).length}  difficulty ${[...byDifficulty].sort().map(([d, n]) => `${d}:${n}`).join(' ')}`,
        );
        const kinds = Object.entries(m.splits[split]!.kinds).sort((a, b) => b[1] - a[1]);
        if (kinds.length) lines.push(`  kinds ${kinds.slice(0, 12).map(([k, n]) => `${k} ${n}`).join(', ')}${kinds.length > 12 ? `, … (${kinds.length} kinds)` : ''}`);
      }
      lines.push(`tools ${ds.tools.length}  policy ${ds.policy.length} chars`);
      process.stdout.write(lines.join('\n') + '\n');
    });
}
