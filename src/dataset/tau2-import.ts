/**
 * `tarl data import-tau2bench`: a self-contained τ² dataset directory for one domain and split —
 * the domain's data folder (databases, policies, knowledge base) with the split's tasks only,
 * τ²'s licence, and a manifest that records where it came from and every file's SHA-256.
 *
 * Layout: manifest.json, LICENSE, data/<domain>/… (loadable by `loadTau2World`/`loadTau2Tasks`).
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { dumps } from '../py/dumps.ts';
import { TAU2_DATASET_FORMAT, tau2ManifestJson } from './dataset-dir.ts';
import { sha256, writeDirAside, type WriteDatasetOptions } from './write.ts';
import { loadTau2Tasks, tasksOfSplit, tau2DomainDir } from './tau2.ts';
import { TAU2_DOMAINS, type Tau2DomainName } from '../sandbox/tau2/world.ts';

export const Tau2Manifest = z.object({
  format: z.literal(TAU2_DATASET_FORMAT),
  version: z.literal(1),
  benchmark: z.literal('tau2'),
  domain: z.enum(TAU2_DOMAINS),
  split: z.string(),
  /** Task ids of the split, in task-file order. */
  tasks: z.array(z.string()),
  source: z.object({ dir: z.string(), upstream: z.string() }),
  /** SHA-256 of every other file, by relative path. */
  files: z.record(z.string(), z.string()),
});
export type Tau2Manifest = z.infer<typeof Tau2Manifest>;

/** Default split per domain: τ²'s registry serves `base` (banking has only its full task set). */
export function defaultSplit(domain: Tau2DomainName): string {
  return domain === 'banking_knowledge' ? 'full' : 'base';
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

export function importTau2(source: string, domain: Tau2DomainName, finalOut: string, split = defaultSplit(domain), w: WriteDatasetOptions = {}): Tau2Manifest {
  const from = tau2DomainDir(source, domain);
  const set = loadTau2Tasks(source, domain);
  const tasks = tasksOfSplit(set, split);
  const keep = new Set(tasks.map((t) => t.id));
  return writeDirAside(finalOut, w, (out) => {
    const dest = join(out, 'data', domain);
    mkdirSync(dest, { recursive: true });
    for (const f of readdirSync(from)) {
      // Task files are rewritten below (the split only); voice metadata is not needed for text episodes.
      if (['tasks.json', 'tasks_full.json', 'tasks_small.json', 'tasks_voice.json', 'split_tasks.json', 'audio_difficulty.json', 'tasks'].includes(f)) continue;
      cpSync(join(from, f), join(dest, f), { recursive: true });
    }
    writeFileSync(join(dest, 'tasks.json'), '[' + tasks.map((t) => dumps(t.raw)).join(',\n') + ']\n');
    if (set.splits.size > 0) writeFileSync(join(dest, 'split_tasks.json'), JSON.stringify({ [split]: tasks.map((t) => t.id) }) + '\n');
    const license = [join(source, 'LICENSE'), join(from, '..', 'LICENSE')].find((p) => existsSync(p));
    if (license) copyFileSync(license, join(out, 'LICENSE'));
    const files: Record<string, string> = {};
    for (const p of walk(out).sort()) files[relative(out, p)] = sha256(readFileSync(p, 'utf8'));
    const manifest: Tau2Manifest = {
      format: TAU2_DATASET_FORMAT,
      version: 1,
      benchmark: 'tau2',
      domain,
      split,
      tasks: tasks.map((t) => t.id).filter((id) => keep.has(id)),
      source: { dir: resolve(source), upstream: 'sierra-research/tau2-bench@a2c0247' },
      files,
    };
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
    return manifest;
  });
}

/** Reads and checks a τ² dataset's manifest (every file's hash), or undefined when `dir` is not one. */
export function readTau2Manifest(dir: string): Tau2Manifest | undefined {
  const raw = tau2ManifestJson(dir);
  if (raw === undefined) return undefined;
  const parsed = Tau2Manifest.safeParse(raw);
  if (!parsed.success) throw new Error(`${join(dir, 'manifest.json')}: ${z.prettifyError(parsed.error)}`);
  for (const [rel, hash] of Object.entries(parsed.data.files)) {
    const p = join(dir, rel);
    if (!existsSync(p)) throw new Error(`${dir}: ${rel} is listed in manifest.json but missing`);
    if (sha256(readFileSync(p, 'utf8')) !== hash) throw new Error(`${dir}: ${rel} does not match its manifest hash`);
  }
  return parsed.data;
}

/** `tarl data stats` for an imported τ² dataset (hashes already verified by `readTau2Manifest`). */
export function tau2Stats(dir: string, m: Tau2Manifest): string {
  const byId = new Map(loadTau2Tasks(dir, m.domain).tasks.map((t) => [t.id, t]));
  const tasks = m.tasks.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  const count = (f: (t: (typeof tasks)[number]) => number): number => tasks.reduce((s, t) => s + f(t), 0);
  const basis = new Map<string, number>();
  for (const t of tasks) {
    const key = [...(t.criteria?.rewardBasis ?? [])].sort().join('+') || '(none)';
    basis.set(key, (basis.get(key) ?? 0) + 1);
  }
  const per = (n: number): string => (n / Math.max(1, tasks.length)).toFixed(2);
  return [
    `benchmark tau2  domain ${m.domain}  split ${m.split}  tasks ${tasks.length}  files ${Object.keys(m.files).length} (hashes verified)`,
    `gold actions/task ${per(count((t) => (t.criteria?.actions ?? []).length))}  user-side ${per(count((t) => (t.criteria?.actions ?? []).filter((a) => a.requestor === 'user').length))}` +
      `  env assertions/task ${per(count((t) => (t.criteria?.envAssertions ?? []).length))}  nl assertions/task ${per(count((t) => (t.criteria?.nlAssertions ?? []).length))}`,
    `reward basis ${[...basis].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    '',
  ].join('\n');
}
