import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { Domain, WorldData } from '../domains/domain.ts';
import { canonical, dumps, dumpsDict, jsonStringRaw, rememberFrozenText, sortedKeys, tauRepr } from '../py/dumps.ts';
import { parsePy } from '../py/parse.ts';
import { EpisodeDbPool } from './db-pool.ts';
import type { PyDict } from '../py/value.ts';

/** Per-table facts of the seeded data that every episode shares (read-only). */
export interface TemplateTable {
  /** Record keys in insertion order. */
  keys: readonly string[];
  /** Canonical JSON (state-hash form) per key. */
  canonical: ReadonlyMap<string, string>;
  /** Keys sorted by code point, as the canonical JSON orders them. */
  sortedKeys: readonly string[];
  /** The canonical text of the whole table, for hashing an untouched table in one update. */
  text: string;
  /** `text` as UTF-8, so a hash after a few writes feeds unchanged stretches without re-encoding. */
  bytes: Buffer;
  /** Byte span of each key's `"key":canonical` piece inside `bytes` (commas excluded). */
  spans: ReadonlyMap<string, readonly [number, number]>;
}

export const SCHEMA_SQL = `
CREATE TABLE records (
  tbl TEXT NOT NULL,
  key TEXT NOT NULL,
  ord INTEGER NOT NULL,
  doc TEXT NOT NULL,
  PRIMARY KEY (tbl, key)
) STRICT, WITHOUT ROWID;
CREATE TABLE lookups (
  tbl TEXT NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  ord INTEGER NOT NULL,
  key TEXT NOT NULL
) STRICT;
CREATE INDEX lookups_by_value ON lookups (tbl, name, value, ord);
CREATE INDEX lookups_by_key ON lookups (tbl, key);
`;

/**
 * A domain's seeded world, built once: the SQLite image every episode deserialises (one ordered
 * JSON document per record, stored as Python's `json.dumps` text so key order and int/float
 * survive), plus cached canonical serialisations so a state hash after a few writes only
 * re-serialises the records those writes touched.
 */
export class WorldTemplate {
  readonly tables: ReadonlyMap<string, TemplateTable>;
  private readonly typedCache = new Map<string, string>();
  private source: Database.Database | undefined;
  private readOriginal: Database.Statement | undefined;
  private readLookup: Database.Statement | undefined;
  private readonly shared = new Map<string, PyDict>();
  private ords: Map<string, Map<string, number>> | undefined;
  /** Episode database copies, restored and reused (see EpisodeDbPool). */
  readonly dbPool: EpisodeDbPool = new EpisodeDbPool(this);

  private constructor(
    readonly domain: Domain,
    readonly image: Buffer,
    tables: Map<string, TemplateTable>,
    /** SHA-256 of the seeded data's canonical JSON: the initial state hash. */
    readonly initialStateHash: string,
  ) {
    this.tables = tables;
  }

  static build(domain: Domain, data: WorldData): WorldTemplate {
    const db = new Database(':memory:');
    db.defaultSafeIntegers(true);
    db.exec(SCHEMA_SQL);
    const insert = db.prepare('INSERT INTO records (tbl, key, ord, doc) VALUES (?, ?, ?, ?)');
    const insertLookup = db.prepare('INSERT INTO lookups (tbl, name, value, ord, key) VALUES (?, ?, ?, ?, ?)');
    const tables = new Map<string, TemplateTable>();
    const hash = createHash('sha256');
    db.transaction(() => {
      for (const table of domain.tables) {
        const records = data.get(table);
        if (!records) throw new Error(`world data has no table '${table}'`);
        const indexes = Object.entries(domain.indexes[table] ?? {});
        const canon = new Map<string, string>();
        let ord = 0n;
        for (const [key, doc] of records) {
          insert.run(table, key, ord, dumps(doc));
          for (const [name, fn] of indexes) {
            const value = fn(doc);
            if (value !== null) insertLookup.run(table, name, value, ord, key);
          }
          canon.set(key, canonical(doc));
          ord++;
        }
        const sorted = sortedKeys(records.keys());
        const pieces = sorted.map((k) => jsonStringRaw(k) + ':' + canon.get(k)!);
        const text = pieces.join(',');
        const spans = new Map<string, readonly [number, number]>();
        let at = 0;
        pieces.forEach((piece, i) => {
          const n = Buffer.byteLength(piece);
          spans.set(sorted[i]!, [at, at + n]);
          at += n + 1;
        });
        tables.set(table, { keys: [...records.keys()], canonical: canon, sortedKeys: sorted, text, bytes: Buffer.from(text), spans });
      }
    })();
    // The data object's keys are sorted too: hash tables in code-point order.
    const order = sortedKeys(domain.tables);
    hash.update('{');
    order.forEach((t, i) => hash.update((i ? ',' : '') + jsonStringRaw(t) + ':{' + tables.get(t)!.text + '}'));
    hash.update('}');
    const image = db.serialize();
    db.close();
    return new WorldTemplate(domain, image, tables, hash.digest('hex'));
  }

  table(name: string): TemplateTable {
    const t = this.tables.get(name);
    if (!t) throw new Error(`unknown table '${name}'`);
    return t;
  }

  /** The seeded record's stored text (Python `json.dumps`), or undefined if it did not exist. */
  originalText(table: string, key: string): string | undefined {
    this.source ??= new Database(this.image, { readonly: true });
    this.readOriginal ??= this.source.prepare('SELECT doc FROM records WHERE tbl = ? AND key = ?').pluck();
    return this.readOriginal.get(table, key) as string | undefined;
  }

  /** Insertion position of a seeded key, undefined for a key the seeded data does not have. */
  seededOrd(table: string, key: string): number | undefined {
    this.ords ??= new Map([...this.tables].map(([t, tt]) => [t, new Map(tt.keys.map((k, i) => [k, i]))]));
    return this.ords.get(table)?.get(key);
  }

  /** The seeded record parsed once and shared by every episode's reads (never mutate it). */
  sharedRecord(table: string, key: string): PyDict | undefined {
    const id = table + '\0' + key;
    let doc = this.shared.get(id);
    if (doc === undefined) {
      const text = this.originalText(table, key);
      if (text === undefined) return undefined;
      doc = parsePy(text) as PyDict;
      rememberFrozenText(doc, text);
      this.shared.set(id, doc);
    }
    return doc;
  }

  /** Keys of the seeded data whose lookup column `name` equals `value`, in insertion order. */
  lookup(table: string, name: string, value: string): string[] {
    this.source ??= new Database(this.image, { readonly: true });
    this.readLookup ??= this.source.prepare('SELECT key FROM lookups WHERE tbl = ? AND name = ? AND value = ? ORDER BY ord').pluck();
    return this.readLookup.all(table, name, value) as string[];
  }

  /** Shared records whose value no longer equals the seeded text (a read tool mutated one: a bug). */
  mutatedSharedRecords(): string[] {
    const out: string[] = [];
    for (const [id, doc] of this.shared) {
      const sep = id.indexOf('\0');
      if (dumpsDict(doc) !== this.originalText(id.slice(0, sep), id.slice(sep + 1))) out.push(id.replace('\0', '/'));
    }
    return out;
  }

  /** τ-bench's typed form of a seeded record (int vs float matters, key order does not). */
  typedOf(table: string, key: string): string | null {
    const id = table + '\0' + key;
    let t = this.typedCache.get(id);
    if (t === undefined) {
      const text = this.originalText(table, key);
      if (text === undefined) return null;
      t = tauRepr(parsePy(text));
      this.typedCache.set(id, t);
    }
    return t;
  }
}
