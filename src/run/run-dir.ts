import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Trajectory } from '../episode/trajectory.ts';
import { EpisodeLog, readEpisodes, type EpisodeReadResult } from './episode-log.ts';

export const RUN_SCHEMA_VERSION = 1;

/** `run.json`: what a run is (config, provenance), enough to regenerate every figure. No secrets. */
export const runManifestSchema = z.object({
  schema: z.number().int(),
  kind: z.enum(['eval', 'train', 'judge']),
  createdAt: z.string(),
  /** The command's resolved configuration (model specs without API keys). */
  config: z.record(z.string(), z.unknown()),
  provenance: z.object({
    commit: z.string().nullable(),
    tarlVersion: z.string(),
    node: z.string(),
    /** Dataset identity: directory, manifest hash or data hashes. */
    data: z.record(z.string(), z.unknown()),
    seeds: z.record(z.string(), z.number()),
    models: z.record(z.string(), z.unknown()),
  }),
});
export type RunManifest = z.infer<typeof runManifestSchema>;

/** The git commit of the checkout running this code, or null outside a repository. */
export function currentCommit(cwd = process.cwd()): string | null {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/**
 * A run directory (design.md §3): `run.json`, `episodes.jsonl`, `results.json`, `metrics.jsonl`,
 * `checkpoints/`, `report.html`. Every reader and writer goes through this class.
 */
export class RunDir {
  private constructor(readonly dir: string) {}

  static create(dir: string, manifest: RunManifest): RunDir {
    if (existsSync(join(dir, 'run.json'))) {
      throw new Error(`${dir} already holds a run (use --resume to continue it, or another --out)`);
    }
    mkdirSync(dir, { recursive: true });
    const run = new RunDir(dir);
    writeAtomic(run.path('run.json'), JSON.stringify(runManifestSchema.parse(manifest), null, 2) + '\n');
    return run;
  }

  static open(dir: string): RunDir {
    if (!existsSync(join(dir, 'run.json'))) throw new Error(`${dir} is not a run directory (no run.json)`);
    return new RunDir(dir);
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  manifest(): RunManifest {
    const raw: unknown = JSON.parse(readFileSync(this.path('run.json'), 'utf8'));
    const parsed = runManifestSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`${this.path('run.json')}: ${parsed.error.message}`);
    if (parsed.data.schema > RUN_SCHEMA_VERSION) {
      throw new Error(`run.json has schema ${parsed.data.schema}; this tarl reads up to ${RUN_SCHEMA_VERSION}`);
    }
    return parsed.data;
  }

  episodeLog(): EpisodeLog {
    return new EpisodeLog(this.path('episodes.jsonl'));
  }

  episodes(): EpisodeReadResult {
    return readEpisodes(this.path('episodes.jsonl'));
  }

  /** Replaces `episodes.jsonl` atomically (post-hoc annotations such as judge verdicts). */
  rewriteEpisodes(episodes: readonly Trajectory[]): void {
    writeAtomic(this.path('episodes.jsonl'), episodes.map((e) => JSON.stringify(e) + '\n').join(''));
  }

  writeResults(results: unknown): void {
    writeAtomic(this.path('results.json'), JSON.stringify(results, null, 2) + '\n');
  }

  results(): unknown {
    return JSON.parse(readFileSync(this.path('results.json'), 'utf8'));
  }

  appendMetrics(step: number, metrics: Record<string, number>): void {
    appendFileSync(this.path('metrics.jsonl'), JSON.stringify({ step, ...metrics }) + '\n');
  }

  writeFile(name: string, text: string): void {
    writeAtomic(this.path(name), text);
  }

  checkpointsDir(): string {
    const d = this.path('checkpoints');
    mkdirSync(d, { recursive: true });
    return d;
  }
}
