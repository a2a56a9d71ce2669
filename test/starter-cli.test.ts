import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../src/dataset/load.ts';
import { Manifest } from '../src/dataset/manifest.ts';
import { tarl } from './support/cli.ts';
import { tempDirs } from './support/files.ts';

const tmp = tempDirs('tarl-starter-');

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

const manifestOf = (dir: string): Manifest => Manifest.parse(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')));

describe('tarl data generate --domain starter', () => {
  it('writes a starter dataset, byte-identical for the same seed, with --kinds and --single-request recorded in the manifest', async () => {
    const [a, b] = [tmp(), tmp()];
    const args = (out: string) => ['data', 'generate', '--domain', 'starter', '--seed', '2', '--tasks', '60', '--dev', '10', '--test', '20', '--kinds', 'cancel_order,return_order', '--single-request', '--out', out];
    const ra = await tarl(args(a));
    expect(ra.stderr).toBe('');
    expect(ra.code).toBe(0);
    expect(ra.stdout).toContain('train 60, dev 10, test 20');
    await tarl(args(b));
    expect(files(b)).toEqual(files(a));

    const m = manifestOf(a);
    expect(m.domain).toBe('starter');
    expect(m.task_filter).toEqual({ kinds: ['cancel_order', 'return_order'], single_request: true });
    expect(Object.keys(m.worlds)).toEqual(['seed-2', 'seed-3']);
    expect(m.worlds['seed-2']!.options).toEqual({ users: 60 });
    for (const split of Object.values(m.splits)) expect(Object.keys(split.kinds).sort()).toEqual(['cancel_order', 'return_order']);
    const ds = loadDataset(a);
    expect(ds.tools.map((t) => t.function.name)).toEqual(['get_user', 'get_order', 'cancel_order', 'return_order', 'transfer_to_human_agents']);
    for (const tasks of ds.tasks.values()) for (const t of tasks) expect(t.kind).toMatch(/^(cancel_order|return_order)$/);

    const stats = await tarl(['data', 'stats', a]);
    expect(stats.code).toBe(0);
    expect(stats.stdout).toContain('domain starter');
  }, 120_000);

  it('without the flags: every kind, some multi-request tasks, and no task_filter in the manifest', async () => {
    const dir = tmp();
    const r = await tarl(['data', 'generate', '--domain', 'starter', '--tasks', '200', '--dev', '0', '--test', '0', '--out', dir]);
    expect(r.code).toBe(0);
    const m = manifestOf(dir);
    expect(m.task_filter).toBeUndefined();
    const kinds = Object.keys(m.splits.train!.kinds);
    expect(kinds.some((k) => k.includes('+'))).toBe(true);
    expect(new Set(kinds.flatMap((k) => k.split('+')))).toEqual(new Set(['cancel_order', 'return_order', 'order_status', 'other_users_order']));
  }, 60_000);

  it('--single-request and --kinds work for the other domains too', async () => {
    const dir = tmp();
    const r = await tarl(['data', 'generate', '--domain', 'retail', '--users', '60', '--tasks', '40', '--dev', '0', '--test', '5', '--kinds', 'cancel_order,return_items', '--single-request', '--out', dir]);
    expect(r.stderr).toBe('');
    const m = manifestOf(dir);
    expect(m.task_filter).toEqual({ kinds: ['cancel_order', 'return_items'], single_request: true });
    expect(Object.keys(m.splits.train!.kinds).sort()).toEqual(['cancel_order', 'return_items']);
  }, 60_000);

  it('an unknown kind fails with a message that lists the domain kinds', async () => {
    const r = await tarl(['data', 'generate', '--domain', 'starter', '--kinds', 'cancel_order,book', '--out', join(tmp(), 'x')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("tarl: unknown task kind 'book' for domain starter (kinds: cancel_order, return_order, order_status, other_users_order)\n");
    const airline = await tarl(['data', 'generate', '--domain', 'airline', '--kinds', 'return_order', '--out', join(tmp(), 'x')]);
    expect(airline.code).toBe(1);
    expect(airline.stderr).toMatch(/unknown task kind 'return_order' for domain airline \(kinds: book, change_flight_date, /);
  }, 60_000);

  it('an unknown domain lists the domains; τ-bench has no starter data to import', async () => {
    const r = await tarl(['data', 'generate', '--domain', 'shop', '--out', join(tmp(), 'x')]);
    expect(r.stderr).toBe("tarl: unknown domain 'shop' (retail, airline, starter)\n");
    const imp = await tarl(['data', 'import-taubench', tmp(), '--domain', 'starter', '--out', join(tmp(), 'x')]);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toContain("τ-bench has no 'starter' domain");
  }, 60_000);
});
