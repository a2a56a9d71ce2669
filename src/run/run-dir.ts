import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { JudgeRecord, Trajectory } from '../episode/trajectory.ts';
import { EpisodeIndex, EpisodeLog, readEpisodes, scanLines, type EpisodeReadResult, type LineProblem } from './episode-log.ts';

export const RUN_SCHEMA_VERSION = 1;

/** `run.json`: what a run is (config, provenance), enough to regenerate every figure. No secrets. */
export const runManifestSchema = z.object({
  schema: z.number().int(),
  kind: z.enum(['eval', 'train', 'sft', 'judge']),
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

/** One line of `metrics.jsonl`: the step, then namespaced numbers (`reward/mean`, `loss/policy`, …). */
export const metricsLineSchema = z.object({ step: z.number().int().nonnegative() }).catchall(z.number());
export type MetricsLine = z.infer<typeof metricsLineSchema>;

/** New lines of `metrics.jsonl` from a byte offset (a live reader's poll). */
export interface MetricsChunk {
  lines: MetricsLine[];
  /** Lines that could not be used, and values dropped from usable lines (`null`: a NaN when written). */
  problems: LineProblem[];
  /** Where the next poll starts (after the last complete line read) and that line's number. */
  next: number;
  nextLine: number;
  /** Identity of the file read (device:inode); a poll with another one starts again from 0. */
  file: string;
  /** True when the offset asked for no longer fits this file (rewritten on resume): start again from 0. */
  reset: boolean;
  size: number;
  /** Bytes after `next` without their `\n` yet (the line being written). */
  tail: number;
}

/** A `metrics.jsonl` file's complete lines (none when it does not exist); a torn last line is left out. */
export function readMetricsFile(path: string): MetricsLine[] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop(); // a torn tail (or the empty string after the last newline): its step did not complete
  return lines.flatMap((line, i) => (line.trim() === '' ? [] : [parseMetricsLine(line, `${path}:${i + 1}`)]));
}

function parseMetricsLine(line: string, where: string): MetricsLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    throw new Error(`${where}: not JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const parsed = metricsLineSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${where}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** `checkpoints/N/train_state.json`: what the loop needs beyond the service's checkpoint to resume. */
export const trainStateSchema = z.object({
  /** Steps completed (the next step to run). */
  step: z.number().int().nonnegative(),
  /** The run seed (checked on resume). */
  seed: z.number().int(),
  /** Loop-side state that is not a pure function of (seed, step): counters, curriculum position. */
  loop: z.record(z.string(), z.unknown()),
});
export type TrainState = z.infer<typeof trainStateSchema>;

export function writeAtomic(path: string, text: string): void {
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

  static exists(dir: string): boolean {
    return existsSync(join(dir, 'run.json'));
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

  /**
   * `metrics.jsonl`, one line per step in order. A torn last line (a crash mid-append) is dropped;
   * any other unreadable line is an error naming the file and line, never skipped silently.
   */
  metrics(): MetricsLine[] {
    return readMetricsFile(this.path('metrics.jsonl'));
  }

  /**
   * The complete lines of `metrics.jsonl` from byte `from` (line number `line`), at most about
   * `maxBytes` of them, for readers that follow a live run. Unlike `metrics()` nothing throws:
   * an unreadable line is reported as a problem and skipped, a `null` value (a NaN or ∞ when it
   * was written) is dropped from its line and reported, and a last line still without its `\n`
   * waits for the next poll. `file` is the identity to pass back: when the file was replaced
   * (`truncateSteps` on resume) the answer says `reset` and the reader starts again from 0.
   */
  async metricsFrom(from: number, line = 1, file?: string, maxBytes = 4 << 20): Promise<MetricsChunk> {
    const path = this.path('metrics.jsonl');
    const empty = (reset: boolean): MetricsChunk => ({ lines: [], problems: [], next: 0, nextLine: 1, file: '', reset, size: 0, tail: 0 });
    let st;
    try {
      st = statSync(path);
    } catch {
      return empty(from > 0);
    }
    const id = `${st.dev}:${st.ino}`;
    if ((file !== undefined && file !== '' && file !== id) || from > st.size) return { ...empty(true), file: id, size: st.size };
    const lines: MetricsLine[] = [];
    const problems: LineProblem[] = [];
    const end = await scanLines(
      path,
      { offset: from, line },
      (l) => {
        if (l.text.trim() === '') return;
        let raw: unknown;
        try {
          raw = JSON.parse(l.text);
        } catch (e) {
          problems.push({ line: l.line, message: `not JSON (${e instanceof Error ? e.message : String(e)})` });
          return;
        }
        if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
          const nulls = Object.entries(raw).filter(([, v]) => v === null).map(([k]) => k);
          if (nulls.length) {
            problems.push({ line: l.line, message: `null (a NaN or ∞ when written) for ${nulls.join(', ')}: left out` });
            raw = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== null));
          }
        }
        const parsed = metricsLineSchema.safeParse(raw);
        if (parsed.success) lines.push(parsed.data);
        else problems.push({ line: l.line, message: z.prettifyError(parsed.error).replace(/\n/g, '; ') });
      },
      { maxBytes },
    );
    return { lines, problems, next: end.offset, nextLine: end.line, file: id, reset: false, size: end.size, tail: end.tail };
  }

  /** A byte-offset index over `episodes.jsonl` (large and live runs); call `refresh()` before reading. */
  episodeIndex(): EpisodeIndex {
    return new EpisodeIndex(this.path('episodes.jsonl'));
  }

  /** Steps of the held-out eval run directories (`evals/step-N`) present, in order. */
  evalSteps(): number[] {
    const dir = this.path('evals');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .map((n) => /^step-(\d+)$/.exec(n)?.[1])
      .filter((n): n is string => n !== undefined && RunDir.exists(join(dir, `step-${n}`)))
      .map(Number)
      .sort((a, b) => a - b);
  }

  /** The eval run directory of step N (`evals/step-N`). */
  evalRunPath(step: number): string {
    return this.path(join('evals', `step-${step}`));
  }

  /**
   * The run's tokenizer (`tokenizer.json`), for showing token ids as text: at the run root (the
   * training loop writes it there), else in the newest checkpoint's `model/`; undefined without.
   */
  tokenizerFile(): string | undefined {
    const root = this.path('tokenizer.json');
    if (existsSync(root)) return root;
    for (const step of this.checkpointSteps()) {
      const p = join(this.path('checkpoints'), String(step), 'model', 'tokenizer.json');
      if (existsSync(p)) return p;
    }
    return undefined;
  }

  /**
   * Resume support: keeps only what completed steps wrote (metrics lines and rollouts with
   * `step < keepBefore`), rewriting each file atomically, so a step redone after a crash is
   * never counted twice.
   */
  truncateSteps(keepBefore: number): void {
    const metrics = existsSync(this.path('metrics.jsonl')) ? this.metrics().filter((m) => m.step < keepBefore) : [];
    writeAtomic(this.path('metrics.jsonl'), metrics.map((m) => JSON.stringify(m) + '\n').join(''));
    const eps = this.episodes().episodes.filter((e) => e.step === undefined || e.step < keepBefore);
    this.rewriteEpisodes(eps);
  }

  /** `verdicts.jsonl`: judge records by episode key, appended as they arrive (a judge run resumes from it). */
  verdicts(): Map<string, JudgeRecord> {
    const path = this.path('verdicts.jsonl');
    const out = new Map<string, JudgeRecord>();
    if (!existsSync(path)) return out;
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      try {
        const { key, record } = JSON.parse(line) as { key: string; record: JudgeRecord };
        out.set(key, record);
      } catch {
        // a torn last line from an interrupted run: that episode is judged again
      }
    }
    return out;
  }

  appendVerdict(key: string, record: JudgeRecord): void {
    appendFileSync(this.path('verdicts.jsonl'), JSON.stringify({ key, record }) + '\n');
  }

  writeFile(name: string, text: string): void {
    writeAtomic(this.path(name), text);
  }

  checkpointsDir(): string {
    const d = this.path('checkpoints');
    mkdirSync(d, { recursive: true });
    return d;
  }

  /** `checkpoints/N`: the weights (written by the trainer service) after N completed steps. */
  checkpointPath(step: number): string {
    return join(this.checkpointsDir(), String(step));
  }

  /** Written after the service saved `checkpoints/N`; a checkpoint without it is incomplete. */
  writeTrainState(state: TrainState): void {
    writeAtomic(join(this.checkpointPath(state.step), 'train_state.json'), JSON.stringify(trainStateSchema.parse(state), null, 2) + '\n');
  }

  /** Steps of the checkpoint directories present, newest first. */
  checkpointSteps(): number[] {
    const dir = this.path('checkpoints');
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .sort((a, b) => b - a);
  }

  /** The newest complete checkpoint (service files and train state both present), if any. */
  latestCheckpoint(): { path: string; state: TrainState } | undefined {
    for (const step of this.checkpointSteps()) {
      const path = this.checkpointPath(step);
      const statePath = join(path, 'train_state.json');
      if (!existsSync(join(path, 'tarl_checkpoint.json')) || !existsSync(statePath)) continue;
      const parsed = trainStateSchema.safeParse(JSON.parse(readFileSync(statePath, 'utf8')));
      if (!parsed.success) throw new Error(`${statePath}: ${z.prettifyError(parsed.error)}`);
      return { path, state: parsed.data };
    }
    return undefined;
  }
}
