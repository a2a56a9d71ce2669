import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';

const CACHE_VERSION = 1;

/** What identifies a response: the endpoint, the full request body, and the trial index. */
export interface CacheKeyParts {
  endpoint: string;
  body: unknown;
  /** Without it k trials at temperature > 0 would replay one sample k times. */
  trial: number;
  /** Caller's extra identity of the sample (e.g. the task id); '' when none. */
  scope: string;
}

const EntrySchema = z.object({
  version: z.literal(CACHE_VERSION),
  key: z.string(),
  response: z.record(z.string(), z.unknown()),
});

/** JSON with object keys sorted, so equal requests hash equally whatever their key order. */
export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256').update(canonicalJson({ v: CACHE_VERSION, ...parts })).digest('hex');
}

/**
 * An opt-in on-disk cache of raw chat completions, one JSON file per key (sharded by the first
 * two hex digits). Writes are atomic (temp file + rename) so a crash or a concurrent writer
 * never leaves a torn entry; an unreadable or mismatched entry is treated as a miss.
 * Entries hold the server's response only: never the request headers, so never the API key.
 */
export class ResponseCache {
  constructor(readonly dir: string) {}

  private path(key: string): string {
    return join(this.dir, key.slice(0, 2), `${key}.json`);
  }

  async get(key: string): Promise<Record<string, unknown> | undefined> {
    let text: string;
    try {
      text = await readFile(this.path(key), 'utf8');
    } catch {
      return undefined;
    }
    try {
      const parsed = EntrySchema.safeParse(JSON.parse(text));
      return parsed.success && parsed.data.key === key ? parsed.data.response : undefined;
    } catch {
      return undefined;
    }
  }

  async put(key: string, response: Record<string, unknown>): Promise<void> {
    const file = this.path(key);
    await mkdir(join(this.dir, key.slice(0, 2)), { recursive: true });
    const tmp = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      await writeFile(tmp, JSON.stringify({ version: CACHE_VERSION, key, response }));
      await rename(tmp, file);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw e;
    }
  }
}
