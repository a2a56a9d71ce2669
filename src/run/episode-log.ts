import { closeSync, existsSync, fdatasyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import { episodeKey, type Termination, type Trajectory } from '../episode/trajectory.ts';
import { recordHeadSchema, trajectorySchema } from './trajectory-schema.ts';

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

/** One complete line of a JSONL file (its `\n` excluded). */
export interface FileLine {
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  /** Bytes, without the `\n`. */
  length: number;
  text: string;
}

/** Where a scan stopped: the first byte (and line number) not consumed, and what lies beyond. */
export interface ScanEnd {
  offset: number;
  line: number;
  /** File size when the scan ended. */
  size: number;
  /** Bytes after `offset` that do not end in `\n` yet (a write in progress, or a torn tail). */
  tail: number;
}

/**
 * Streams the complete lines of a file from a byte offset, in chunks (never the whole file in
 * memory), handing each to `onLine`. A last line without its `\n` is not handed out: it is counted
 * in `tail`, and a later scan from the returned offset picks it up once it is complete.
 * `maxBytes` stops at the first line boundary after that many bytes (bounded answers).
 */
export async function scanLines(
  path: string,
  from: { offset: number; line: number },
  onLine: (l: FileLine) => void | Promise<void>,
  o: { chunkBytes?: number; maxBytes?: number } = {},
): Promise<ScanEnd> {
  const chunkBytes = o.chunkBytes ?? 1 << 20;
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    let pos = from.offset;
    let line = from.line;
    let consumed = from.offset;
    let carry: Buffer = Buffer.alloc(0);
    const chunk = Buffer.allocUnsafe(chunkBytes);
    while (pos < size && (o.maxBytes === undefined || consumed - from.offset < o.maxBytes)) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(chunkBytes, size - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
        await onLine({ line, offset: consumed, length: nl - start, text: data.toString('utf8', start, nl) });
        consumed += nl - start + 1;
        line++;
        start = nl + 1;
        if (o.maxBytes !== undefined && consumed - from.offset >= o.maxBytes) break;
      }
      carry = Buffer.from(data.subarray(start));
      if (o.maxBytes !== undefined && consumed - from.offset >= o.maxBytes) break;
    }
    return { offset: consumed, line, size, tail: size - consumed };
  } finally {
    await fh.close();
  }
}

/** What the index keeps per record: enough to filter, list and count, never the conversation. */
export interface EpisodeHead {
  /** Position among the file's distinct records (stable while the file is only appended to). */
  ordinal: number;
  line: number;
  key: string;
  taskId: string;
  trial: number;
  /** Training rollouts: the RL step; null in an evaluation run. */
  step: number | null;
  domain: string;
  split: string;
  /** The record's `modality` when it has one, else null (the run's, usually text). */
  modality: string | null;
  reward: number;
  termination: Termination;
  turns: number;
  judged: boolean;
  /** The turn the judge gave −1, or null. */
  negTurn: number | null;
  error: boolean;
  /** Training rollouts: whether the group carried signal (null: not a rollout). */
  kept: boolean | null;
  /** Training rollouts: the shaped reward (null: not a rollout). */
  shaped: number | null;
}

/** A line of a run file that could not be used, with why (shown to people, never skipped silently). */
export interface LineProblem {
  line: number;
  message: string;
}

const TERMINATIONS: readonly Termination[] = ['user_stop', 'agent_transfer', 'max_steps', 'error'];
const F_JUDGED = 1;
const F_ERROR = 2;
const F_KEPT_KNOWN = 4;
const F_KEPT = 8;

/** Growable typed columns (amortised doubling): ~70 bytes per record instead of an object each. */
class Columns {
  cap = 0;
  offset = new Float64Array(0);
  length = new Uint32Array(0);
  line = new Uint32Array(0);
  task = new Uint32Array(0);
  trial = new Int32Array(0);
  step = new Int32Array(0);
  domain = new Uint32Array(0);
  split = new Uint32Array(0);
  modality = new Uint32Array(0);
  reward = new Float64Array(0);
  shaped = new Float64Array(0);
  term = new Uint8Array(0);
  turns = new Uint32Array(0);
  neg = new Int32Array(0);
  flags = new Uint8Array(0);

  ensure(n: number): void {
    if (n <= this.cap) return;
    const cap = Math.max(1024, this.cap * 2, n);
    const grow = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.offset = grow(this.offset, (k) => new Float64Array(k));
    this.length = grow(this.length, (k) => new Uint32Array(k));
    this.line = grow(this.line, (k) => new Uint32Array(k));
    this.task = grow(this.task, (k) => new Uint32Array(k));
    this.trial = grow(this.trial, (k) => new Int32Array(k));
    this.step = grow(this.step, (k) => new Int32Array(k));
    this.domain = grow(this.domain, (k) => new Uint32Array(k));
    this.split = grow(this.split, (k) => new Uint32Array(k));
    this.modality = grow(this.modality, (k) => new Uint32Array(k));
    this.reward = grow(this.reward, (k) => new Float64Array(k));
    this.shaped = grow(this.shaped, (k) => new Float64Array(k));
    this.term = grow(this.term, (k) => new Uint8Array(k));
    this.turns = grow(this.turns, (k) => new Uint32Array(k));
    this.neg = grow(this.neg, (k) => new Int32Array(k));
    this.flags = grow(this.flags, (k) => new Uint8Array(k));
    this.cap = cap;
  }

  bytes(): number {
    return this.cap * (8 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 8 + 8 + 1 + 4 + 4 + 1);
  }
}

/** Strings seen many times (task ids, domains) stored once, referred to by number. */
class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();
  id(s: string): number {
    let i = this.ids.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.ids.set(s, i);
    }
    return i;
  }
}

const MAX_PROBLEMS = 200;
const NO_MODALITY = 0xffffffff;

/**
 * A byte-offset index over `episodes.jsonl` for readers of large or live runs (the viewer): one
 * streaming pass keeps each distinct record's offset and head (task, trial, step, outcome, …) in
 * typed columns, and `read(i)` fetches one record from disk. Same rules as `readEpisodes`: a
 * record whose key was seen is a duplicate (first wins), an unreadable line is counted and kept
 * as a problem with its line number, a last line without `\n` is left for the next `refresh()`
 * (a live run appends to it). A file replaced by an atomic rewrite (judge verdicts merged) or cut
 * shorter is indexed again from the start.
 */
export class EpisodeIndex {
  private cols = new Columns();
  private n = 0;
  private keys = new Map<string, number>();
  private tasks = new Interner();
  private small = new Interner();
  private scanned = { offset: 0, line: 1 };
  private identity = '';
  private refreshing: Promise<void> | undefined;
  /** Later lines whose key was already seen (dropped: first one wins). */
  duplicates = 0;
  /** Unreadable lines (not JSON, or not a trajectory). */
  corrupt = 0;
  /** The first problems, by line (at most 200 are kept; `corrupt` counts them all). */
  problems: LineProblem[] = [];
  /** Bytes at the end that do not end in `\n` (a write in progress or a crash mid-write). */
  tail = 0;
  /** Bytes of the file indexed so far. */
  size = 0;
  /** Whether the file exists (a run that has not recorded anything yet has none). */
  exists = false;

  constructor(readonly path: string) {}

  /** Distinct records indexed. */
  get count(): number {
    return this.n;
  }

  /** Indexes what was appended since the last call (everything, the first time or after a rewrite). */
  refresh(): Promise<void> {
    this.refreshing ??= this.scan().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private reset(): void {
    this.cols = new Columns();
    this.n = 0;
    this.keys = new Map();
    this.tasks = new Interner();
    this.small = new Interner();
    this.scanned = { offset: 0, line: 1 };
    this.duplicates = 0;
    this.corrupt = 0;
    this.problems = [];
    this.tail = 0;
    this.size = 0;
  }

  private async scan(): Promise<void> {
    let st;
    try {
      st = await stat(this.path);
    } catch {
      this.reset();
      this.exists = false;
      return;
    }
    this.exists = true;
    const identity = `${st.dev}:${st.ino}`;
    if (identity !== this.identity || st.size < this.scanned.offset) {
      this.reset();
      this.identity = identity;
    }
    if (st.size === this.scanned.offset) {
      this.tail = 0;
      this.size = st.size;
      return;
    }
    const end = await scanLines(this.path, this.scanned, (l) => this.add(l));
    this.scanned = { offset: end.offset, line: end.line };
    this.tail = end.tail;
    this.size = end.size;
  }

  private problem(line: number, message: string): void {
    this.corrupt++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push({ line, message });
  }

  private add(l: FileLine): void {
    if (l.text.trim() === '') return;
    let raw: unknown;
    try {
      raw = JSON.parse(l.text);
    } catch (e) {
      this.problem(l.line, `not JSON (${e instanceof Error ? e.message : String(e)})`);
      return;
    }
    const parsed = recordHeadSchema.safeParse(raw);
    if (!parsed.success) {
      this.problem(l.line, `not a trajectory record: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`);
      return;
    }
    const h = parsed.data;
    const key = episodeKey(h);
    if (this.keys.has(key)) {
      this.duplicates++;
      return;
    }
    const i = this.n++;
    this.keys.set(key, i);
    const c = this.cols;
    c.ensure(this.n);
    c.offset[i] = l.offset;
    c.length[i] = l.length;
    c.line[i] = l.line;
    c.task[i] = this.tasks.id(h.taskId);
    c.trial[i] = h.trial;
    c.step[i] = h.step ?? -1;
    c.domain[i] = this.small.id(h.domain);
    c.split[i] = this.small.id(h.split);
    c.modality[i] = h.modality === undefined ? NO_MODALITY : this.small.id(h.modality);
    c.reward[i] = h.reward;
    c.shaped[i] = h.rl?.reward ?? NaN;
    c.term[i] = TERMINATIONS.indexOf(h.termination);
    c.turns[i] = h.steps.length;
    c.neg[i] = h.judge?.verdicts.find((v) => v.score === -1)?.turn ?? -1;
    c.flags[i] =
      (h.judge?.status === 'ok' ? F_JUDGED : 0) | (h.error !== undefined || h.termination === 'error' ? F_ERROR : 0) | (h.rl ? F_KEPT_KNOWN | (h.rl.kept ? F_KEPT : 0) : 0);
  }

  /** The head of the i-th distinct record. */
  head(i: number): EpisodeHead {
    if (!(i >= 0 && i < this.n)) throw new RangeError(`${this.path}: no record ${i} (the index holds ${this.n})`);
    const c = this.cols;
    const flags = c.flags[i]!;
    const step = c.step[i]!;
    const mod = c.modality[i]!;
    const shaped = c.shaped[i]!;
    const taskId = this.tasks.values[c.task[i]!]!;
    const trial = c.trial[i]!;
    return {
      ordinal: i,
      line: c.line[i]!,
      key: episodeKey({ taskId, trial, step: step < 0 ? undefined : step }),
      taskId,
      trial,
      step: step < 0 ? null : step,
      domain: this.small.values[c.domain[i]!]!,
      split: this.small.values[c.split[i]!]!,
      modality: mod === NO_MODALITY ? null : this.small.values[mod]!,
      reward: c.reward[i]!,
      termination: TERMINATIONS[c.term[i]!]!,
      turns: c.turns[i]!,
      judged: (flags & F_JUDGED) !== 0,
      negTurn: c.neg[i]! < 0 ? null : c.neg[i]!,
      error: (flags & F_ERROR) !== 0,
      kept: flags & F_KEPT_KNOWN ? (flags & F_KEPT) !== 0 : null,
      shaped: Number.isNaN(shaped) ? null : shaped,
    };
  }

  /** The ordinal of the record with this key (`episodeKey`), if indexed. */
  find(key: string): number | undefined {
    return this.keys.get(key);
  }

  /** The raw text of the i-th record, read from disk. */
  async text(i: number): Promise<string> {
    this.head(i);
    const fh = await open(this.path, 'r');
    try {
      const buf = Buffer.allocUnsafe(this.cols.length[i]!);
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.cols.offset[i]!);
      return buf.toString('utf8', 0, bytesRead);
    } finally {
      await fh.close();
    }
  }

  /**
   * Reads records' raw texts through one file handle, in the order given (what a text search
   * over many records does); `each` returns false to stop early.
   */
  async eachText(ordinals: Iterable<number>, each: (i: number, text: string) => boolean | void): Promise<void> {
    const fh = await open(this.path, 'r');
    try {
      let buf = Buffer.allocUnsafe(64 << 10);
      for (const i of ordinals) {
        if (!(i >= 0 && i < this.n)) throw new RangeError(`${this.path}: no record ${i} (the index holds ${this.n})`);
        const len = this.cols.length[i]!;
        if (len > buf.length) buf = Buffer.allocUnsafe(len);
        const { bytesRead } = await fh.read(buf, 0, len, this.cols.offset[i]!);
        if (each(i, buf.toString('utf8', 0, bytesRead)) === false) return;
      }
    } finally {
      await fh.close();
    }
  }

  /**
   * The i-th record as a checked trajectory. A record that is not one (a field of the wrong type)
   * is an error naming the file, the line and the field. If the file was rewritten since it was
   * indexed, the index is refreshed and the read retried once.
   */
  async read(i: number): Promise<Trajectory> {
    for (let attempt = 0; ; attempt++) {
      const { key, line } = this.head(i);
      const text = await this.text(i);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (e) {
        if (attempt === 0) {
          await this.refresh();
          continue;
        }
        throw new Error(`${this.path}:${line}: not JSON (${e instanceof Error ? e.message : String(e)})`);
      }
      const parsed = trajectorySchema.safeParse(raw);
      if (!parsed.success) throw new Error(`${this.path}:${line}: not a trajectory record: ${z.prettifyError(parsed.error)}`);
      if (episodeKey(parsed.data) !== key && attempt === 0) {
        await this.refresh();
        continue;
      }
      return parsed.data;
    }
  }

  /** Bytes the index holds in memory (columns, keys and interned strings, estimated). */
  memoryBytes(): number {
    let strings = 0;
    for (const k of this.keys.keys()) strings += 2 * k.length + 48;
    for (const t of this.tasks.values) strings += 2 * t.length + 48;
    return this.cols.bytes() + strings;
  }
}
