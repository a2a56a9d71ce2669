import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { parsePy } from '../src/py/parse.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import type { WorldTemplate } from '../src/sandbox/template.ts';
import { stepsOfLine } from '../src/sandbox/replay.ts';
import { taubenchDir } from './support/taubench.ts';

function dump(db: Database.Database): string {
  const records = db.prepare('SELECT tbl, key, ord, doc FROM records ORDER BY tbl, key').all();
  const lookups = db.prepare('SELECT tbl, name, value, ord, key FROM lookups ORDER BY tbl, name, value, ord, key').all();
  return JSON.stringify([records, lookups], (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
}

function check(domain: 'retail' | 'airline', file: string): void {
  const template: WorldTemplate = loadTaubenchWorld(taubenchDir(), domain);
  const fresh = new Database(template.image, { readonly: true });
  const seeded = dump(fresh);
  fresh.close();
  const lines = readFileSync(join(taubenchDir(), 'golden', file), 'utf8').split('\n').filter(Boolean).slice(0, 120);
  let reused = 0;
  let previous: Database.Database | undefined;
  for (const line of lines) {
    const sandbox = new Sandbox(template);
    for (const s of stepsOfLine(parsePy(line))) sandbox.call(s.name, s.kwargs);
    const changed = sandbox.changedRecords();
    if (changed.size > 0) {
      // The episode's own database holds exactly what the world says.
      const db = sandbox.world.db;
      for (const [table, records] of changed) {
        for (const key of records.keys()) {
          const row = db.prepare('SELECT doc FROM records WHERE tbl = ? AND key = ?').pluck().get(table, key);
          expect(row).toBe(sandbox.world.recordText(table, key));
        }
      }
      if (db === previous) reused++;
      previous = db;
      sandbox.close();
      // Back in the pool, the copy is the seeded image again, rows and lookups alike.
      expect(dump(db)).toBe(seeded);
    } else sandbox.close();
  }
  expect(reused).toBeGreaterThan(10);
}

describe('episode database pool', () => {
  it('retail: a released copy is restored to the seeded image after each fuzz episode', () => check('retail', 'retail_fuzz_dev.jsonl'));
  it('airline: the same, with bookings added and removed', () => check('airline', 'airline_fuzz_dev.jsonl'));
});
