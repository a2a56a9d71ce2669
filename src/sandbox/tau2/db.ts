/**
 * A τ²-bench database (a pydantic `DB` model) for one episode, copy-on-write over a shared
 * template, with τ²'s hash: `sha256(json.dumps(db.model_dump(), sort_keys=True, default=str))`.
 *
 * The big parts of a database are its collections (airline `reservations`, telecom `lines`,
 * banking `accounts.data`, …): containers of records. An episode starts by sharing every record
 * of the template; a tool that changes a record asks for it with `mut`, which gives the episode
 * its own deep copy (model instances stay instances). The hash feeds untouched stretches of a
 * collection from the template's cached bytes and serialises only the records this episode
 * changed, added or removed.
 */
import { createHash, type Hash } from 'node:crypto';
import { compareCodePoints, dumpsSorted, jsonStringAscii, sortedKeys } from '../../py/dumps.ts';
import { checkHashable } from '../../py/ops.ts';
import { construct, deepCopyPy, markModel, modelOf, type ModelSpec } from '../../py/pydantic.ts';
import { isDict, type PyDict, type PyValue } from '../../py/value.ts';

/** Where a collection sits in the database model, and whether it is a dict or a list. */
export interface CollectionSpec {
  path: readonly string[];
  kind: 'dict' | 'list';
}

export interface Tau2DbSpec {
  model: ModelSpec;
  collections: readonly CollectionSpec[];
}

interface CollectionCache {
  spec: CollectionSpec;
  /** Dict collections: keys sorted by code point (list collections: indices in order). */
  sortedKeys: readonly string[];
  /** The records' hash pieces joined by ", " (`"key": {…}` for dicts, `{…}` for lists). */
  bytes: Buffer;
  /** Byte span of each key's piece inside `bytes`. */
  spans: ReadonlyMap<string, readonly [number, number]>;
  /** Template record objects and their pieces (a shared record's piece is the template's). */
  pieceOf: WeakMap<PyDict, string>;
}

const pathKey = (path: readonly string[]): string => path.join('\0');

/** A database validated once per process; episodes copy what they change from it. */
export class Tau2DbTemplate {
  private readonly caches = new Map<string, CollectionCache>();
  /** The hash of the seeded database. */
  readonly hash: string;

  constructor(
    readonly spec: Tau2DbSpec,
    /** The validated database (never mutated). */
    readonly root: PyDict,
  ) {
    for (const c of spec.collections) this.caches.set(pathKey(c.path), buildCache(c, containerAt(root, c.path)));
    this.hash = new Tau2Db(this).hash();
  }

  /** Validates raw data (as `Model.model_validate`) into a template. */
  static fromData(spec: Tau2DbSpec, data: PyDict): Tau2DbTemplate {
    return new Tau2DbTemplate(spec, construct(spec.model, data));
  }

  cache(path: readonly string[]): CollectionCache | undefined {
    return this.caches.get(pathKey(path));
  }
}

function containerAt(root: PyDict, path: readonly string[]): PyDict | PyValue[] {
  let v: PyValue | undefined = root;
  for (const p of path) v = isDict(v) ? v.get(p) : undefined;
  if (!(v instanceof Map) && !Array.isArray(v)) throw new Error(`database has no collection at '${path.join('.')}'`);
  return v;
}

function piece(kind: 'dict' | 'list', key: string, record: PyValue): string {
  return kind === 'dict' ? jsonStringAscii(key) + ': ' + dumpsSorted(record) : dumpsSorted(record);
}

function buildCache(spec: CollectionSpec, container: PyDict | PyValue[]): CollectionCache {
  const pieceOf = new WeakMap<PyDict, string>();
  const keys = Array.isArray(container) ? container.map((_, i) => String(i)) : sortedKeys(container.keys());
  const pieces: string[] = [];
  for (const k of keys) {
    const rec = Array.isArray(container) ? container[Number(k)]! : container.get(k)!;
    const p = piece(spec.kind, k, rec);
    pieces.push(p);
    if (rec instanceof Map) pieceOf.set(rec, p);
  }
  const spans = new Map<string, readonly [number, number]>();
  let at = 0;
  pieces.forEach((p, i) => {
    const n = Buffer.byteLength(p);
    spans.set(keys[i]!, [at, at + n]);
    at += n + 2;
  });
  return { spec, sortedKeys: keys, bytes: Buffer.from(pieces.join(', ')), spans, pieceOf };
}

/** One collection of an episode's database, with Python dict (or list) semantics. */
export class Collection {
  constructor(
    private readonly db: Tau2Db,
    readonly spec: CollectionSpec,
  ) {}

  private get c(): PyDict | PyValue[] {
    return this.db.container(this.spec.path);
  }

  /** `key in coll` (unhashable keys raise TypeError, as Python does). */
  has(key: PyValue | undefined): boolean {
    checkHashable(key);
    const c = this.c;
    return typeof key === 'string' && !Array.isArray(c) && c.has(key);
  }

  /** The record (shared with the template until this episode changes it: do not mutate). */
  get(key: string): PyDict | undefined {
    const c = this.c;
    const v = Array.isArray(c) ? c[Number(key)] : c.get(key);
    return v instanceof Map ? v : undefined;
  }

  /** The episode's own copy of a record, to change in place. */
  mut(key: string): PyDict | undefined {
    return this.db.ownRecord(this.spec, key);
  }

  keys(): string[] {
    const c = this.c;
    return Array.isArray(c) ? c.map((_, i) => String(i)) : [...c.keys()];
  }

  values(): PyDict[] {
    const c = this.c;
    return (Array.isArray(c) ? c : [...c.values()]) as PyDict[];
  }

  get size(): number {
    const c = this.c;
    return Array.isArray(c) ? c.length : c.size;
  }

  /** `coll[key] = record` for a dict collection (a new key goes last), `append` for a list. */
  set(key: string, record: PyDict): void {
    this.db.setRecord(this.spec, key, record);
  }

  append(record: PyDict): void {
    this.db.setRecord(this.spec, String(this.size), record);
  }

  delete(key: string): void {
    this.db.deleteRecord(this.spec, key);
  }
}

/** One episode's database. */
export class Tau2Db {
  /** The episode's root (its own copy of the model instance; collections copied when written). */
  root: PyDict;
  private readonly ownContainers = new Set<string>();
  private readonly ownRecords = new WeakSet<PyDict>();
  /** Per collection: keys whose record was copied, added or removed in this episode. */
  private readonly dirty = new Map<string, Set<string>>();
  private cachedHash: string | undefined;
  private rebuilt = false;

  constructor(readonly template: Tau2DbTemplate) {
    this.root = copyLevel(template.root);
  }

  collection(...path: string[]): Collection {
    const spec = this.template.spec.collections.find((c) => pathKey(c.path) === pathKey(path));
    if (!spec) throw new Error(`no collection '${path.join('.')}' in ${this.template.spec.model.name}`);
    return new Collection(this, spec);
  }

  container(path: readonly string[]): PyDict | PyValue[] {
    return containerAt(this.root, path);
  }

  /** Makes the containers on a collection's path the episode's own (copied once). */
  private ownContainer(spec: CollectionSpec): PyDict | PyValue[] {
    const key = pathKey(spec.path);
    if (!this.ownContainers.has(key)) {
      let parent = this.root;
      spec.path.forEach((p, i) => {
        const child = parent.get(p);
        const last = i === spec.path.length - 1;
        let copy: PyValue;
        if (last) copy = Array.isArray(child) ? [...child] : new Map(child as PyDict);
        else copy = this.ownContainers.has(pathKey(spec.path.slice(0, i + 1))) ? child! : copyLevel(child as PyDict);
        if (copy instanceof Map && modelOf(child)) markModel(copy, modelOf(child)!);
        parent.set(p, copy);
        this.ownContainers.add(pathKey(spec.path.slice(0, i + 1)));
        if (!last) parent = copy as PyDict;
      });
    }
    return containerAt(this.root, spec.path);
  }

  private markDirty(spec: CollectionSpec, key: string): void {
    const k = pathKey(spec.path);
    let s = this.dirty.get(k);
    if (!s) this.dirty.set(k, (s = new Set()));
    s.add(key);
    this.cachedHash = undefined;
  }

  ownRecord(spec: CollectionSpec, key: string): PyDict | undefined {
    const c = this.ownContainer(spec);
    const v = Array.isArray(c) ? c[Number(key)] : c.get(key);
    if (!(v instanceof Map)) return undefined;
    this.markDirty(spec, key);
    if (this.ownRecords.has(v)) return v;
    const copy = deepCopyPy(v);
    this.ownRecords.add(copy);
    if (Array.isArray(c)) c[Number(key)] = copy;
    else c.set(key, copy);
    return copy;
  }

  setRecord(spec: CollectionSpec, key: string, record: PyDict): void {
    const c = this.ownContainer(spec);
    if (Array.isArray(c)) {
      const i = Number(key);
      if (i === c.length) c.push(record);
      else c[i] = record;
    } else c.set(key, record);
    this.ownRecords.add(record);
    this.markDirty(spec, key);
  }

  deleteRecord(spec: CollectionSpec, key: string): void {
    const c = this.ownContainer(spec);
    if (Array.isArray(c)) throw new Error(`cannot delete from list collection '${spec.path.join('.')}'`);
    c.delete(key);
    this.markDirty(spec, key);
  }

  /**
   * Replaces the whole database (τ²'s `update_db`: a new validated model). Records equal to the
   * template's are shared again; the rest count as changed.
   */
  replaceRoot(root: PyDict): void {
    this.root = root;
    this.ownContainers.clear();
    this.dirty.clear();
    this.cachedHash = undefined;
    this.rebuilt = true;
    for (const spec of this.template.spec.collections) {
      const cache = this.template.cache(spec.path)!;
      const templ = containerAt(this.template.root, spec.path);
      const mine = this.ownContainer(spec);
      const keys = Array.isArray(mine) ? mine.map((_, i) => String(i)) : [...mine.keys()];
      for (const k of keys) {
        const rec = Array.isArray(mine) ? mine[Number(k)] : mine.get(k);
        const orig = Array.isArray(templ) ? templ[Number(k)] : templ.get(k);
        const origPiece = orig instanceof Map ? cache.pieceOf.get(orig) : undefined;
        if (rec instanceof Map && orig instanceof Map && origPiece !== undefined && piece(spec.kind, k, rec) === origPiece) {
          if (Array.isArray(mine)) mine[Number(k)] = orig;
          else mine.set(k, orig);
        } else {
          if (rec instanceof Map) this.ownRecords.add(rec);
          this.markDirty(spec, k);
        }
      }
      for (const k of cache.sortedKeys) if (!keys.includes(k)) this.markDirty(spec, k);
    }
  }

  /** `ToolKitBase.update_db(data)`: addict-merge `data` into the dump and validate the result. */
  update(data: PyDict): void {
    this.replaceRoot(construct(this.template.spec.model, addictMerge(plainCopy(this.root), data) as PyDict));
  }

  /** τ²'s `get_db_hash()`. */
  hash(): string {
    if (this.cachedHash !== undefined) return this.cachedHash;
    const h = createHash('sha256');
    this.feed(h, this.root, []);
    this.cachedHash = h.digest('hex');
    return this.cachedHash;
  }

  /** Whether anything was written since the episode began (a cheap check before hashing). */
  get changed(): boolean {
    return this.rebuilt || [...this.dirty.values()].some((s) => s.size > 0);
  }

  private feed(h: Hash, v: PyValue, path: string[]): void {
    const spec = this.template.spec.collections.find((c) => pathKey(c.path) === pathKey(path));
    if (spec) {
      this.feedCollection(h, spec);
      return;
    }
    if (!(v instanceof Map) || !this.template.spec.collections.some((c) => pathKey(c.path).startsWith(pathKey(path)))) {
      h.update(dumpsSorted(v));
      return;
    }
    h.update('{');
    sortedKeys(v.keys()).forEach((k, i) => {
      h.update((i ? ', ' : '') + jsonStringAscii(k) + ': ');
      this.feed(h, v.get(k)!, [...path, k]);
    });
    h.update('}');
  }

  private feedCollection(h: Hash, spec: CollectionSpec): void {
    const open = spec.kind === 'dict' ? '{' : '[';
    const close = spec.kind === 'dict' ? '}' : ']';
    const cache = this.template.cache(spec.path)!;
    const dirty = this.dirty.get(pathKey(spec.path));
    h.update(open);
    if (!dirty || dirty.size === 0) h.update(cache.bytes);
    else {
      const c = this.container(spec.path);
      const keys = Array.isArray(c) ? c.map((_, i) => String(i)) : sortedKeys(c.keys());
      // Walk the merged key order; feed runs of untouched template pieces from the cache.
      let runStart = -1;
      let runEnd = -1;
      let first = true;
      const flush = (): void => {
        if (runStart >= 0) h.update(cache.bytes.subarray(runStart, runEnd));
        runStart = runEnd = -1;
      };
      for (const k of keys) {
        const span = cache.spans.get(k);
        const sep = first ? '' : ', ';
        first = false;
        if (span && !dirty.has(k)) {
          if (runStart >= 0 && runEnd + 2 === span[0]) runEnd = span[1];
          else {
            flush();
            if (sep) h.update(sep);
            runStart = span[0];
            runEnd = span[1];
          }
          continue;
        }
        flush();
        const rec = Array.isArray(c) ? c[Number(k)]! : c.get(k)!;
        h.update(sep + piece(spec.kind, k, rec));
      }
      flush();
    }
    h.update(close);
  }
}

/** `model_dump()`: a deep copy as plain dicts and lists (no model instances). */
export function plainCopy(v: PyValue): PyValue {
  if (Array.isArray(v)) return v.map(plainCopy);
  if (v instanceof Map) {
    const out: PyDict = new Map();
    for (const [k, x] of v) out.set(k, plainCopy(x));
    return out;
  }
  return v;
}

/** addict's `Dict.update`: nested dicts merge key by key; anything else replaces. */
export function addictMerge(base: PyValue, update: PyValue): PyValue {
  if (!(base instanceof Map) || !(update instanceof Map)) return plainCopy(update);
  for (const [k, v] of update) {
    const cur = base.get(k);
    base.set(k, cur instanceof Map && v instanceof Map ? addictMerge(cur, v) : plainCopy(v));
  }
  return base;
}

/** A shallow copy of one dict level that stays a model instance when it was one. */
function copyLevel(d: PyDict): PyDict {
  const out = new Map(d);
  const spec = modelOf(d);
  return spec ? markModel(out, spec) : out;
}

/** Code-point order of two keys (exported for the collections' callers that sort). */
export { compareCodePoints };

/**
 * A small database held whole per episode (telecom's user device and surroundings): a deep
 * copy of the template, mutated in place by the tools, hashed in full (a few hundred bytes).
 */
export class Tau2Doc {
  root: PyDict;

  constructor(template: PyDict) {
    this.root = deepCopyPy(template);
  }

  hash(): string {
    return createHash('sha256').update(dumpsSorted(this.root)).digest('hex');
  }

  update(spec: ModelSpec, data: PyDict): void {
    this.root = construct(spec, addictMerge(plainCopy(this.root), data) as PyDict);
  }
}
