import Database from 'better-sqlite3';
import type { Domain } from '../domains/domain.ts';
import { parsePy } from '../py/parse.ts';
import type { PyDict } from '../py/value.ts';

export const SQL = {
  update: 'UPDATE records SET doc = ? WHERE tbl = ? AND key = ?',
  insert: 'INSERT INTO records (tbl, key, ord, doc) VALUES (?, ?, ?, ?)',
  remove: 'DELETE FROM records WHERE tbl = ? AND key = ?',
  lookup: 'SELECT key FROM lookups WHERE tbl = ? AND name = ? AND value = ? ORDER BY ord',
  deleteLookups: 'DELETE FROM lookups WHERE tbl = ? AND key = ?',
  insertLookup: 'INSERT INTO lookups (tbl, name, value, ord, key) VALUES (?, ?, ?, ?, ?)',
} as const;

/** One episode's private SQLite database (a copy of the template image) and its statements. */
export class EpisodeDb {
  readonly db: Database.Database;
  private readonly prepared = new Map<keyof typeof SQL, Database.Statement>();

  constructor(image: Buffer) {
    this.db = new Database(image);
    this.db.defaultSafeIntegers(true);
  }

  /** Statements are prepared on first use and kept with the connection. */
  stmt(name: keyof typeof SQL): Database.Statement {
    let s = this.prepared.get(name);
    if (!s) {
      s = this.db.prepare(SQL[name]);
      if (name === 'lookup') s.pluck();
      this.prepared.set(name, s);
    }
    return s;
  }

  /** Rewrites a record's lookup rows from its document. */
  indexRecord(domain: Domain, table: string, key: string, ord: bigint, doc: PyDict): void {
    const indexes = Object.entries(domain.indexes[table] ?? {});
    if (indexes.length === 0) return;
    this.stmt('deleteLookups').run(table, key);
    for (const [name, fn] of indexes) {
      const value = fn(doc);
      if (value !== null) this.stmt('insertLookup').run(table, name, value, ord, key);
    }
  }
}

/** What the pool needs to know about the seeded data to put a copy back as it was. */
export interface SeededData {
  readonly image: Buffer;
  readonly domain: Domain;
  originalText(table: string, key: string): string | undefined;
  /** Insertion position of a seeded key (its `ord`), undefined for keys added by an episode. */
  seededOrd(table: string, key: string): number | undefined;
}

/**
 * Episode databases, reused: a finished episode's copy is put back to the seeded state by
 * undoing only the rows it wrote (seeded records rewritten from their original text, added ones
 * deleted, their lookup rows rebuilt), which costs a few row writes instead of deserialising the
 * whole image again. A copy that cannot be restored is closed, never reused.
 */
export class EpisodeDbPool {
  private readonly idle: EpisodeDb[] = [];

  constructor(
    private readonly seeded: SeededData,
    private readonly max = 32,
  ) {}

  acquire(): EpisodeDb {
    return this.idle.pop() ?? new EpisodeDb(this.seeded.image);
  }

  release(edb: EpisodeDb, written: ReadonlyMap<string, ReadonlySet<string>>): void {
    if (this.idle.length >= this.max) {
      edb.db.close();
      return;
    }
    try {
      edb.db.transaction(() => {
        for (const [table, keys] of written) {
          for (const key of keys) {
            const ord = this.seeded.seededOrd(table, key);
            if (ord === undefined) {
              edb.stmt('remove').run(table, key);
              edb.stmt('deleteLookups').run(table, key);
              continue;
            }
            const text = this.seeded.originalText(table, key)!;
            edb.stmt('update').run(text, table, key);
            edb.indexRecord(this.seeded.domain, table, key, BigInt(ord), parsePy(text) as PyDict);
          }
        }
      })();
      this.idle.push(edb);
    } catch {
      edb.db.close();
    }
  }

  /** Closes the idle copies (e.g. before dropping a template). */
  drain(): void {
    for (const edb of this.idle.splice(0)) edb.db.close();
  }
}
