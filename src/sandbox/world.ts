import { createHash, type Hash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { keyError } from '../py/errors.ts';
import { canonical, compareCodePoints, dumps, jsonStringRaw, sortedKeys, tauRepr } from '../py/dumps.ts';
import { checkHashable } from '../py/ops.ts';
import { parsePy } from '../py/parse.ts';
import { strRepr } from '../py/repr.ts';
import { deepCopy, type PyDict, type PyValue } from '../py/value.ts';
import type { EpisodeDb, SQL } from './db-pool.ts';
import type { TemplateTable, WorldTemplate } from './template.ts';

/** τ-bench's typed text of each untouched table, per template (see `World.tauDataHash`). */
const cleanTauTables = new WeakMap<WorldTemplate, Map<string, string>>();


/** Records whose canonical JSON differs from the seeded data: table → key → record. */
export type ChangedRecords = Map<string, Map<string, PyDict>>;

/**
 * One episode's world: a private SQLite database deserialised from the template image, plus a
 * cache of parsed records. Tools see Python-dict semantics through `table()`. Records fetched
 * during a write call are written back after it (even when it raised: Python had mutated them
 * in place), and the keys whose text changed are remembered as dirty.
 */
export class World {
  private episodeDb: EpisodeDb | undefined;
  private readonly docs = new Map<string, PyDict>();
  private readonly texts = new Map<string, string>();
  private readonly dirty = new Map<string, Set<string>>();
  private readonly added = new Map<string, string[]>();
  private readonly canonCache = new Map<string, string>();
  private touched: Set<string> | undefined;

  constructor(readonly template: WorldTemplate) {}

  /**
   * The episode's own SQLite database: a copy of the template image, taken on the first write
   * (from the template's pool of restored copies). Until then the world is exactly the seeded
   * one, so reads go to the template (shared parsed records, shared read-only lookups).
   */
  get db(): Database.Database {
    return this.edb().db;
  }

  private edb(): EpisodeDb {
    this.episodeDb ??= this.template.dbPool.acquire();
    return this.episodeDb;
  }

  private stmt(name: keyof typeof SQL): Database.Statement {
    return this.edb().stmt(name);
  }

  /** Ends the episode: its database copy goes back to the pool, restored to the seeded state. */
  close(): void {
    const edb = this.episodeDb;
    this.episodeDb = undefined;
    if (edb) this.template.dbPool.release(edb, this.dirty);
  }

  /** A table with Python dict semantics (`in`, `[]` with KeyError, iteration in order). */
  table(name: string): TableView {
    return new TableView(this, name);
  }

  /**
   * The record; the same object on every call within a tool call. A write call gets the
   * episode's private copy (mutate it in place; it is written back after the call). A read call
   * on a record this episode never fetched for writing gets the template's shared parsed record,
   * which read tools must not mutate (a test replays every golden vector and checks the shared
   * records are intact).
   */
  get(table: string, key: string): PyDict | undefined {
    const id = table + '\0' + key;
    let doc = this.docs.get(id);
    if (doc === undefined) {
      const shared = this.template.sharedRecord(table, key);
      if (shared === undefined) return undefined;
      if (!this.touched) return shared;
      doc = deepCopy(shared);
      this.docs.set(id, doc);
      this.texts.set(id, this.template.originalText(table, key)!);
    }
    this.touched?.add(id);
    return doc;
  }

  has(table: string, key: string): boolean {
    // Records are never deleted; added ones are in `docs`.
    return this.docs.has(table + '\0' + key) || this.template.table(table).canonical.has(key);
  }

  /** Keys in insertion order (seeded keys, then keys added in this episode). */
  keys(table: string): string[] {
    const seeded = this.template.table(table).keys;
    const added = this.added.get(table);
    return added ? [...seeded, ...added] : [...seeded];
  }

  /** Insertion position of a key (seeded keys first, then keys added in this episode). */
  private ordOf(table: string, key: string): number {
    return this.template.seededOrd(table, key) ?? this.template.table(table).keys.length + (this.added.get(table) ?? []).indexOf(key);
  }

  /** Keys whose indexed column `name` equals `value`, in insertion order. */
  lookup(table: string, name: string, value: string): string[] {
    if (!this.episodeDb) return this.template.lookup(table, name, value);
    return this.stmt('lookup').all(table, name, value) as string[];
  }

  /** Sets a record (a new key is appended in insertion order, as in a Python dict). */
  set(table: string, key: string, doc: PyDict): void {
    const id = table + '\0' + key;
    if (!this.has(table, key)) {
      const ord = BigInt(this.template.table(table).keys.length + (this.added.get(table)?.length ?? 0));
      this.stmt('insert').run(table, key, ord, '');
      const list = this.added.get(table) ?? [];
      list.push(key);
      this.added.set(table, list);
      this.texts.set(id, '');
    } else if (!this.docs.has(id)) {
      this.texts.set(id, this.template.originalText(table, key)!);
    }
    this.docs.set(id, doc);
    this.touched?.add(id);
    this.flushOne(id);
  }

  /** Start tracking the records a write tool fetches. */
  beginWrite(): void {
    this.touched = new Set();
  }

  /** Write back every record fetched since `beginWrite` whose text changed. */
  endWrite(): void {
    const touched = this.touched;
    this.touched = undefined;
    if (!touched) return;
    for (const id of touched) this.flushOne(id);
  }

  private flushOne(id: string): void {
    const doc = this.docs.get(id);
    if (!doc) return;
    const text = dumps(doc);
    if (text === this.texts.get(id)) return;
    const sep = id.indexOf('\0');
    const table = id.slice(0, sep);
    const key = id.slice(sep + 1);
    const edb = this.edb();
    edb.db.transaction(() => {
      edb.stmt('update').run(text, table, key);
      if (this.template.domain.indexes[table]) edb.indexRecord(this.template.domain, table, key, BigInt(this.ordOf(table, key)), doc);
    })();
    this.texts.set(id, text);
    this.canonCache.delete(id);
    let set = this.dirty.get(table);
    if (!set) this.dirty.set(table, (set = new Set()));
    set.add(key);
  }

  /** The stored text of a record as the episode has it now. */
  recordText(table: string, key: string): string | undefined {
    const id = table + '\0' + key;
    return this.texts.get(id) ?? this.template.originalText(table, key);
  }

  /** Keys written in this episode (their text changed at least once). */
  dirtyKeys(table: string): ReadonlySet<string> {
    return this.dirty.get(table) ?? new Set();
  }

  private canonicalOf(table: string, key: string): string {
    const id = table + '\0' + key;
    let c = this.canonCache.get(id);
    if (c === undefined) {
      c = canonical(parsePy(this.recordText(table, key)!));
      this.canonCache.set(id, c);
    }
    return c;
  }

  /**
   * SHA-256 of the canonical JSON of the whole data object (golden README definition). Untouched
   * stretches of each table are fed from the template's cached bytes; only the pieces of records
   * written in this episode are serialised (an added record is spliced in at its sorted place).
   */
  stateHash(): string {
    const hash = createHash('sha256');
    hash.update('{');
    sortedKeys(this.template.domain.tables).forEach((table, i) => {
      const t = this.template.table(table);
      hash.update((i ? ',' : '') + jsonStringRaw(table) + ':{');
      const dirty = this.dirty.get(table);
      if (!dirty || dirty.size === 0) hash.update(t.bytes);
      else this.hashEdited(hash, table, t, dirty);
      hash.update('}');
    });
    hash.update('}');
    return hash.digest('hex');
  }

  private hashEdited(hash: Hash, table: string, t: TemplateTable, dirty: ReadonlySet<string>): void {
    const piece = (key: string): string => jsonStringRaw(key) + ':' + this.canonicalOf(table, key);
    // Edits sorted by byte position: replace a seeded piece, or insert an added one before the
    // first seeded key that sorts after it (or at the end).
    const edits: { start: number; end: number; text: string; key: string }[] = [];
    for (const key of dirty) {
      const span = t.spans.get(key);
      if (span) edits.push({ start: span[0], end: span[1], text: piece(key), key });
      else {
        const j = lowerBound(t.sortedKeys, key);
        const start = j < t.sortedKeys.length ? t.spans.get(t.sortedKeys[j]!)![0] : t.bytes.length;
        const atEnd = j >= t.sortedKeys.length;
        const text = atEnd ? (t.bytes.length > 0 ? ',' : '') + piece(key) : piece(key) + ',';
        edits.push({ start, end: start, text, key });
      }
    }
    edits.sort((a, b) => a.start - b.start || a.end - a.start - (b.end - b.start) || compareCodePoints(a.key, b.key));
    let at = 0;
    let pendingComma = false;
    for (const e of edits) {
      if (e.start > at) hash.update(t.bytes.subarray(at, e.start));
      // Two added keys at the end of an empty table need a comma between them.
      hash.update(pendingComma && e.text[0] !== ',' ? ',' + e.text : e.text);
      pendingComma = t.bytes.length === 0;
      at = Math.max(at, e.end);
    }
    if (at < t.bytes.length) hash.update(t.bytes.subarray(at));
  }

  /** Records whose canonical JSON differs from the seeded data (added records included). */
  changedRecords(): ChangedRecords {
    const out: ChangedRecords = new Map();
    for (const [table, keys] of this.dirty) {
      const seeded = this.template.table(table).canonical;
      for (const key of keys) {
        if (seeded.get(key) === this.canonicalOf(table, key)) continue;
        let m = out.get(table);
        if (!m) out.set(table, (m = new Map()));
        m.set(key, parsePy(this.recordText(table, key)!) as PyDict);
      }
    }
    return out;
  }

  /**
   * τ-bench's own `Env.get_data_hash`: SHA-256 of `str()` of the data as nested tuples (dict
   * items sorted by key), so int vs float counts. Untouched records reuse the template's forms.
   */
  tauDataHash(): string {
    const hash = createHash('sha256');
    const tables = sortedKeys(this.template.domain.tables);
    const tuple = (items: string[]): string => (items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`);
    const parts = tables.map((table) => {
      const dirty = this.dirty.get(table);
      const clean = !dirty || dirty.size === 0;
      const cached = clean ? cleanTauTables.get(this.template)?.get(table) : undefined;
      if (cached !== undefined) return cached;
      const records = sortedKeys(this.keys(table)).map((key) => {
        const typed = dirty?.has(key)
          ? tauRepr(parsePy(this.recordText(table, key)!))
          : (this.template.typedOf(table, key) ?? tauRepr(parsePy(this.recordText(table, key)!)));
        return `(${strRepr(key)}, ${typed})`;
      });
      const text = `(${strRepr(table)}, ${tuple(records)})`;
      if (clean && !this.added.get(table)?.length) {
        let m = cleanTauTables.get(this.template);
        if (!m) cleanTauTables.set(this.template, (m = new Map()));
        m.set(table, text);
      }
      return text;
    });
    hash.update(tuple(parts));
    return hash.digest('hex');
  }

  /**
   * Records whose value differs from the seeded data as τ-bench's own hash sees it (int vs float
   * counts, key order does not): table\0key → typed form. Two worlds are equal for the reward
   * exactly when these maps are equal.
   */
  typedChanges(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [table, keys] of this.dirty) {
      for (const key of keys) {
        const typed = tauRepr(parsePy(this.recordText(table, key)!));
        if (typed !== this.template.typedOf(table, key)) out.set(table + '\0' + key, typed);
      }
    }
    return out;
  }
}

/** A table seen as a Python dict: membership and lookup raise as Python does on bad keys. */
export class TableView {
  constructor(
    readonly world: World,
    readonly name: string,
  ) {}

  /** `key in table`. */
  has(key: PyValue | undefined): boolean {
    checkHashable(key);
    return typeof key === 'string' && this.world.has(this.name, key);
  }

  /** `table[key]` (KeyError with the key's repr when absent). */
  get(key: PyValue | undefined): PyDict {
    checkHashable(key);
    const doc = typeof key === 'string' ? this.world.get(this.name, key) : undefined;
    if (!doc) throw keyError(key);
    return doc;
  }

  keys(): string[] {
    return this.world.keys(this.name);
  }

  /** `table.items()` in insertion order (parses every record: prefer an index for hot paths). */
  *items(): Generator<[string, PyDict]> {
    for (const key of this.keys()) yield [key, this.world.get(this.name, key)!];
  }

  set(key: string, doc: PyDict): void {
    this.world.set(this.name, key, doc);
  }
}

/** First index in a code-point-sorted list whose key sorts at or after `key`. */
function lowerBound(sorted: readonly string[], key: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareCodePoints(sorted[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
