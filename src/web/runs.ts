import { realpathSync, statSync } from 'node:fs';
import { basename, isAbsolute, resolve } from 'node:path';
import { loadDatasetTasks } from '../dataset/load.ts';
import type { Task } from '../dataset/task.ts';
import type { EpisodeIndex } from '../run/episode-log.ts';
import { RunDir, type RunManifest } from '../run/run-dir.ts';
import { TokenText } from './token-text.ts';

/** A run the viewer shows: one given on the command line, or one of its `evals/step-N` runs. */
export interface ViewedRun {
  /** `0`, `1`, … for the runs given; `0.s40` for `evals/step-40` of run 0. */
  id: string;
  /** The directory as given (or given + `/evals/step-N`): what people read. */
  label: string;
  /** Its real path (symlinks resolved): what file access is checked against. */
  dir: string;
  run: RunDir;
  root: number;
  /** The training step of a held-out eval run, else null. */
  evalStep: number | null;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; error: string };

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * The runs one `tarl view` serves, and what it caches about them: episode indexes (refreshed on
 * every use, so live runs stay current), the dataset's tasks (ground truth, kinds) and the
 * tokenizer. Only these directories exist for the server; nothing else on disk is reachable.
 */
export class RunCatalog {
  private readonly rootRuns: ViewedRun[];
  private readonly indexes = new Map<string, EpisodeIndex>();
  private readonly datasets = new Map<string, Loaded<Map<string, Task>>>();
  private readonly tokenizers = new Map<string, { mtimeMs: number; value: Loaded<TokenText> }>();
  private readonly manifests = new Map<string, { mtimeMs: number; value: Loaded<RunManifest> }>();

  constructor(dirs: readonly string[]) {
    if (dirs.length === 0) throw new Error('tarl view: give at least one run directory');
    this.rootRuns = dirs.map((given, i) => {
      if (!RunDir.exists(given)) throw new Error(`${given} is not a run directory (no run.json)`);
      const dir = realpathSync(given);
      return { id: String(i), label: given, dir, run: RunDir.open(dir), root: i, evalStep: null };
    });
  }

  roots(): readonly ViewedRun[] {
    return this.rootRuns;
  }

  /** The held-out eval runs (`evals/step-N`) of a run, in step order (looked up each time: they appear while a run trains). */
  evalRuns(root: ViewedRun): ViewedRun[] {
    if (root.evalStep !== null) return [];
    return root.run.evalSteps().flatMap((step) => {
      const r = this.get(`${root.id}.s${step}`);
      return r ? [r] : [];
    });
  }

  /** Every run, the eval runs after their run. */
  all(): ViewedRun[] {
    return this.rootRuns.flatMap((r) => [r, ...this.evalRuns(r)]);
  }

  get(id: string): ViewedRun | undefined {
    const m = /^(\d+)(?:\.s(\d+))?$/.exec(id);
    if (!m) return undefined;
    const root = this.rootRuns[Number(m[1])];
    if (!root || m[2] === undefined) return root;
    const step = Number(m[2]);
    const path = root.run.evalRunPath(step);
    if (!RunDir.exists(path)) return undefined;
    const dir = realpathSync(path);
    // An eval run reached through a symlink that leaves its run directory is not served.
    if (!dir.startsWith(root.dir + '/')) return undefined;
    return { id, label: `${root.label}/evals/step-${step}`, dir, run: RunDir.open(dir), root: root.root, evalStep: step };
  }

  /** The run's `run.json`, read again only when the file changes. */
  manifest(r: ViewedRun): Loaded<RunManifest> {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(r.run.path('run.json')).mtimeMs;
    } catch (e) {
      return { ok: false, error: errorText(e) };
    }
    const cached = this.manifests.get(r.dir);
    if (cached && cached.mtimeMs === mtimeMs) return cached.value;
    let value: Loaded<RunManifest>;
    try {
      value = { ok: true, value: r.run.manifest() };
    } catch (e) {
      value = { ok: false, error: errorText(e) };
    }
    this.manifests.set(r.dir, { mtimeMs, value });
    return value;
  }

  /** The run's episode index, brought up to date with the file. */
  async index(r: ViewedRun): Promise<EpisodeIndex> {
    let idx = this.indexes.get(r.dir);
    if (!idx) this.indexes.set(r.dir, (idx = r.run.episodeIndex()));
    await idx.refresh();
    return idx;
  }

  /** The dataset directory a run was made from (its provenance), resolved. */
  datasetDir(r: ViewedRun): string | undefined {
    const m = this.manifest(r);
    if (!m.ok) return undefined;
    const fromProv = m.value.provenance.data.dir;
    const cfg = m.value.config.data;
    const dir = typeof fromProv === 'string' ? fromProv : typeof cfg === 'string' ? cfg : undefined;
    if (dir === undefined) return undefined;
    return isAbsolute(dir) ? dir : resolve(dir);
  }

  /** The run's tasks by id (ground truth, kinds), read from its dataset once. */
  tasks(r: ViewedRun): Loaded<Map<string, Task>> {
    const dir = this.datasetDir(r);
    if (dir === undefined) return { ok: false, error: 'run.json names no dataset directory' };
    let got = this.datasets.get(dir);
    if (!got) {
      try {
        const { tasks } = loadDatasetTasks(dir);
        got = { ok: true, value: new Map([...tasks.values()].flat().map((t) => [t.id, t])) };
      } catch (e) {
        got = { ok: false, error: `dataset ${dir}: ${errorText(e)}` };
      }
      this.datasets.set(dir, got);
    }
    return got;
  }

  /** The tokenizer of a run (an eval run uses its training run's), reloaded when the file changes. */
  tokenizer(r: ViewedRun): Loaded<TokenText> | undefined {
    const owner = r.evalStep === null ? r : this.rootRuns[r.root]!;
    const path = owner.run.tokenizerFile();
    if (path === undefined) return undefined;
    let mtimeMs: number;
    try {
      mtimeMs = statSync(path).mtimeMs;
    } catch (e) {
      return { ok: false, error: errorText(e) };
    }
    const cached = this.tokenizers.get(path);
    if (cached && cached.mtimeMs === mtimeMs) return cached.value;
    let value: Loaded<TokenText>;
    try {
      value = { ok: true, value: TokenText.fromFile(path) };
    } catch (e) {
      value = { ok: false, error: errorText(e) };
    }
    this.tokenizers.set(path, { mtimeMs, value });
    return value;
  }

  /** A short name for headings. */
  name(r: ViewedRun): string {
    return r.evalStep === null ? basename(r.label) || r.label : `${basename(this.rootRuns[r.root]!.label)} · eval at step ${r.evalStep}`;
  }
}
