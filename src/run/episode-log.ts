import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { episodeKey, type Trajectory } from '../episode/trajectory.ts';

export interface EpisodeLogOptions {
  /** How long appended records wait to share one write + fdatasync (group commit). */
  commitIntervalMs?: number;
}

/**
 * `episodes.jsonl`: append-only, one trajectory per line. Records are written in group commits
 * (one write and one fdatasync for everything appended within `commitIntervalMs`), so they are
 * durable without an fsync per line. A process killed mid-write leaves at most a torn last line;
 * opening the log for append cuts it off so the next record starts on a clean line.
 */
export class EpisodeLog {
  private readonly fd: number;
  private pending: { line: string; done: () => void; fail: (e: unknown) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly interval: number;

  constructor(
    readonly path: string,
    opts: EpisodeLogOptions = {},
  ) {
    this.interval = opts.commitIntervalMs ?? 50;
    this.fd = openSync(path, 'a+');
    const text = readFileSync(path, 'utf8');
    if (text.length > 0 && !text.endsWith('\n')) {
      const keep = Buffer.byteLength(text.slice(0, text.lastIndexOf('\n') + 1), 'utf8');
      ftruncateSync(this.fd, keep);
    }
  }

  /** Resolves once the record is on disk. */
  append(t: Trajectory): Promise<void> {
    if (this.closed) return Promise.reject(new Error('episode log is closed'));
    const line = JSON.stringify(t) + '\n';
    return new Promise((done, fail) => {
      this.pending.push({ line, done, fail });
      this.timer ??= setTimeout(() => this.commit(), this.interval);
    });
  }

  /** Writes everything pending now. */
  commit(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    try {
      writeSync(this.fd, batch.map((p) => p.line).join(''));
      fdatasyncSync(this.fd);
      for (const p of batch) p.done();
    } catch (e) {
      for (const p of batch) p.fail(e);
    }
  }

  close(): void {
    if (this.closed) return;
    this.commit();
    this.closed = true;
    closeSync(this.fd);
  }
}

export interface EpisodeReadResult {
  episodes: Trajectory[];
  /** A last line cut off by a crash (dropped). */
  tornTail: boolean;
  /** Later lines with a (task, trial) already seen (dropped: first one wins). */
  duplicates: number;
  /** Unparseable lines that were not the last one (dropped and counted, never silently). */
  corrupt: number;
}

/** Reads `episodes.jsonl`: drops a torn last line, keeps one record per (task, trial). */
export function readEpisodes(path: string): EpisodeReadResult {
  const out: EpisodeReadResult = { episodes: [], tornTail: false, duplicates: 0, corrupt: 0 };
  if (!existsSync(path)) return out;
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  const last = lines.pop() ?? '';
  if (last.trim() !== '') out.tornTail = true;
  const seen = new Set<string>();
  for (const line of lines) {
    if (line.trim() === '') continue;
    let t: Trajectory;
    try {
      t = JSON.parse(line) as Trajectory;
    } catch {
      out.corrupt++;
      continue;
    }
    const key = episodeKey(t);
    if (seen.has(key)) {
      out.duplicates++;
      continue;
    }
    seen.add(key);
    out.episodes.push(t);
  }
  return out;
}
