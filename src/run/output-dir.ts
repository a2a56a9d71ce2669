import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a command may write: a missing folder, an empty one, or a folder of the kind the command
 * itself makes (a run to resume, a dataset or judge benchmark to replace with --force). Anything
 * else — a file, the source tree, a folder of the user's own — is refused before a byte is
 * written, and --force never overrides that: it replaces only what tarl made.
 */
export type OutputKind = 'run' | 'dataset' | 'judge benchmark' | 'demo';

/** What marks a folder as one of ours. */
const IS_KIND: Record<OutputKind, (dir: string) => boolean> = {
  run: (dir) => existsSync(join(dir, 'run.json')),
  dataset: (dir) => {
    try {
      const format = (JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { format?: unknown }).format;
      return format === 'tarl-dataset' || format === 'tarl-tau2-dataset';
    } catch {
      return false;
    }
  },
  'judge benchmark': (dir) => ['judge-bench.json', 'flawed/run.json', 'clean/run.json'].some((f) => existsSync(join(dir, f))),
  // `tarl demo` (its stages resume from what is there) and `tarl demo --eval-only`.
  demo: (dir) => ['demo.json', 'data/manifest.json', 'data-retail/manifest.json', 'data-airline/manifest.json'].some((f) => existsSync(join(dir, f))),
};

const ARTICLE: Record<OutputKind, string> = { run: 'a run', dataset: 'a dataset', 'judge benchmark': 'a judge benchmark', demo: 'a demo' };

export type OutputState = 'missing' | 'empty' | 'own';

/** Where `dir` stands for a command that writes `kind` there; throws for a file or a foreign folder. */
export function outputState(dir: string, kind: OutputKind): OutputState {
  let st;
  try {
    st = statSync(dir);
  } catch {
    return 'missing';
  }
  if (!st.isDirectory()) throw new Error(`${dir} is a file; the output must be a folder (missing, empty, or ${ARTICLE[kind]} folder tarl made)`);
  const entries = readdirSync(dir);
  if (entries.length === 0) return 'empty';
  if (IS_KIND[kind](dir)) return 'own';
  const shown = entries.slice(0, 3).join(', ') + (entries.length > 3 ? `, … (${entries.length} entries)` : '');
  throw new Error(`${dir} is not empty and is not ${ARTICLE[kind]} folder (it holds ${shown}); tarl writes only into a missing or empty folder, or one it made — choose another output folder`);
}

/**
 * The check before a command does any work: a folder of its own kind needs `resume` (to continue
 * it) or `force` (to replace it — removed later by `clearOwnOutput`, once the command's other
 * checks passed, so a refused command never costs the old output).
 */
export function checkOutput(dir: string, kind: OutputKind, o: { resume?: boolean; force?: boolean; resumeFlag?: string } = {}): OutputState {
  const state = outputState(dir, kind);
  if (state !== 'own' || o.resume || o.force) return state;
  const resume = o.resumeFlag === undefined ? '' : `${o.resumeFlag} continues it, `;
  throw new Error(`${dir} already holds ${ARTICLE[kind]} (${resume}--force replaces it, or choose another output folder)`);
}

/** `--force`: removes `dir` when it is a folder of `kind` (and only then), so the command starts afresh. */
export function clearOwnOutput(dir: string, kind: OutputKind): void {
  if (outputState(dir, kind) === 'own') rmSync(dir, { recursive: true, force: true });
}
