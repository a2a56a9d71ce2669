import { realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

export type RunFile = { ok: true; path: string; size: number; contentType: string; report: boolean } | { ok: false; status: 403 | 404; message: string };

/** A raw request path that tries to leave where it points: dot segments or encoded separators. */
export function isTraversal(rawPath: string): boolean {
  const path = rawPath.split('?')[0]!;
  return /(^|\/)\.\.?(\/|$)/.test(path) || /%2e/i.test(path) || /%2f|%5c|\\/i.test(path) || path.includes('\0') || /%00/.test(path);
}

const TYPES: Record<string, string> = {
  '.json': 'text/plain; charset=utf-8',
  '.jsonl': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.log': 'text/plain; charset=utf-8',
  // A run's spoken user turns (audio/<sha256>.wav), played by the episode pages and report.html.
  '.wav': 'audio/wav',
};

/**
 * A file inside a run directory, from the URL path segments after `/runs/:id/files/`. Refused
 * (403) when any segment is empty, `.` or `..`, or holds a separator or NUL once decoded, and
 * when the real path (symlinks resolved) is not inside the run's real directory. `report.html`
 * is served as HTML under its own no-script policy; every other text file as plain text; the
 * rest as a download.
 */
export function runFile(runDir: string, encodedSegments: readonly string[]): RunFile {
  const refuse = (why: string): RunFile => ({ ok: false, status: 403, message: `refused: ${why}; only files inside the run directory are served` });
  const segs: string[] = [];
  for (const raw of encodedSegments) {
    let s: string;
    try {
      s = decodeURIComponent(raw);
    } catch {
      return refuse(`'${raw}' is not a valid path segment`);
    }
    if (s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s)) return refuse(`'${s}' is not a file name`);
    segs.push(s);
  }
  if (segs.length === 0) return refuse('no file named');
  let real: string;
  try {
    real = realpathSync(join(runDir, ...segs));
  } catch {
    return { ok: false, status: 404, message: `${segs.join('/')}: no such file in the run directory` };
  }
  if (!real.startsWith(runDir + sep)) return refuse(`${segs.join('/')} resolves outside the run directory`);
  const st = statSync(real);
  if (!st.isFile()) return { ok: false, status: 404, message: `${segs.join('/')} is not a file` };
  const ext = extname(real).toLowerCase();
  const report = ext === '.html';
  return { ok: true, path: real, size: st.size, contentType: report ? 'text/html; charset=utf-8' : (TYPES[ext] ?? 'application/octet-stream'), report };
}
