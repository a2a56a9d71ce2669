/** What `tarl data …` does, loaded only when a data command runs (its options live in data.ts). */
import { importTaubench, planGeneratedDataset } from '../../dataset/build.ts';
import { rewriteInstructions } from '../../dataset/rewrite-instructions.ts';
import { checkDatasetOutput, writeDataset } from '../../dataset/write.ts';
import { modelSpecFromOptions } from '../../llm/model-spec.ts';
import { chatClientFromSpec } from '../../llm/spec-client.ts';
import { loadDataset } from '../../dataset/load.ts';
import { checkTau2Domain } from '../../dataset/tau2.ts';
import { defaultSplit, importTau2, readTau2Manifest, tau2Stats } from '../../dataset/tau2-import.ts';
import { isDomainName } from '../../domains/registry.ts';
import { DOMAIN_NAMES, type DomainName } from '../../domains/domain.ts';
import type { GenerateOpts } from './data.ts';

function domainOf(name: string): DomainName {
  if (!isDomainName(name)) throw new Error(`unknown domain '${name}' (${DOMAIN_NAMES.join(', ')})`);
  return name;
}

/** Before any work (an LLM rewrite costs money): the output folder must be one a dataset may go to. */
function checkDatasetOut(out: string, force: boolean | undefined): void {
  checkDatasetOutput(out, { replace: force === true });
}

export async function generateAction(o: GenerateOpts): Promise<void> {
  checkDatasetOut(o.out, o.force);
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
  const m = writeDataset(o.out, content, { replace: o.force === true });
  process.stdout.write(`wrote ${o.out}: ${Object.entries(m.splits).map(([s, e]) => `${s} ${e.count}`).join(', ')}\n`);
}

export function importTaubenchAction(dir: string, o: { domain: string; out: string; force?: boolean }): void {
  checkDatasetOut(o.out, o.force);
  const m = importTaubench(dir, domainOf(o.domain), o.out, { replace: o.force === true });
  process.stdout.write(`wrote ${o.out}: ${Object.entries(m.splits).map(([s, e]) => `${s} ${e.count}`).join(', ')}\n`);
}

export function importTau2Action(dir: string, o: { domain: string; split?: string; out: string; force?: boolean }): void {
  const domain = checkTau2Domain(o.domain);
  checkDatasetOut(o.out, o.force);
  const m = importTau2(dir, domain, o.out, o.split ?? defaultSplit(domain), { replace: o.force === true });
  process.stdout.write(`wrote ${o.out}: ${m.domain} ${m.split} ${m.tasks.length} tasks\n`);
}

export function statsAction(dir: string): void {
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
}
