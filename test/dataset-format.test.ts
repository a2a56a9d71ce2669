import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateDataset, importTaubench } from '../src/dataset/build.ts';
import { loadDataset } from '../src/dataset/load.ts';
import { taskToLine } from '../src/dataset/task-record.ts';
import { readTaubenchTasks } from '../src/dataset/taubench.ts';
import { generateAirlineWorld } from '../src/generate/airline/world.ts';
import { generateRetailWorld } from '../src/generate/retail/world.ts';
import { dumps } from '../src/py/dumps.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { taubenchDir } from './support/taubench.ts';
import { tempDirs } from './support/files.ts';

const TAU = taubenchDir();
const tmp = tempDirs('tarl-ds-');

function files(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p, 'latin1'));
    }
  };
  walk(dir);
  return out;
}

const small = { users: 60, tasks: 40, dev: 10, test: 20 };

describe('generated worlds', () => {
  it('are a pure function of the seed', () => {
    expect(dumps(generateRetailWorld(3, { users: 50, orders: 100 }).get('orders')!)).toBe(dumps(generateRetailWorld(3, { users: 50, orders: 100 }).get('orders')!));
    expect(dumps(generateRetailWorld(3, { users: 50, orders: 100 }).get('orders')!)).not.toBe(dumps(generateRetailWorld(4, { users: 50, orders: 100 }).get('orders')!));
    expect(dumps(generateAirlineWorld(3, { users: 50, reservations: 100 }).get('flights')!)).not.toBe(dumps(generateAirlineWorld(4, { users: 50, reservations: 100 }).get('flights')!));
  });

  it('hold every order status and every flight-date status shape', () => {
    const orders = [...generateRetailWorld(1).get('orders')!.values()];
    expect(new Set(orders.map((o) => o.get('status')))).toEqual(new Set(['pending', 'processed', 'delivered', 'cancelled', 'pending (item modified)', 'return requested', 'exchange requested']));
    const shapes = new Set<string>();
    for (const f of generateAirlineWorld(1).get('flights')!.values()) {
      for (const e of (f.get('dates') as Map<string, Map<string, unknown>>).values()) shapes.add([...e.keys()].join(','));
    }
    expect([...shapes].sort()).toEqual([
      'status',
      'status,actual_departure_time_est,actual_arrival_time_est',
      'status,actual_departure_time_est,estimated_arrival_time_est',
      'status,available_seats,prices',
      'status,estimated_departure_time_est,estimated_arrival_time_est',
    ]);
  });
});

describe.each(['retail', 'airline'] as const)('%s dataset directory', (domain) => {
  it('is byte-identical for the same seed and differs for another', () => {
    const [a, b, c] = [tmp(), tmp(), tmp()];
    generateDataset(a, { domain, seed: 1, ...small });
    generateDataset(b, { domain, seed: 1, ...small });
    generateDataset(c, { domain, seed: 2, ...small });
    expect(files(b)).toEqual(files(a));
    expect(files(c).get('tasks/train.jsonl')).not.toBe(files(a).get('tasks/train.jsonl'));
  });

  it('loads losslessly: test runs in another world than train, tasks replay in their world', () => {
    const dir = tmp();
    const manifest = generateDataset(dir, { domain, seed: 5, ...small });
    const ds = loadDataset(dir);
    expect(ds.manifest).toEqual(manifest);
    expect(manifest.splits.test!.world).not.toBe(manifest.splits.train!.world);
    expect(ds.worlds.get(manifest.splits.test!.world)!.initialStateHash).not.toBe(ds.worlds.get(manifest.splits.train!.world)!.initialStateHash);
    const lines = readFileSync(join(dir, 'tasks/train.jsonl'), 'utf8').trimEnd().split('\n');
    ds.tasks.get('train')!.forEach((t, i) => expect(taskToLine(t)).toBe(lines[i]));
    expect(ds.tools.map((t) => t.function.name)).toEqual(ds.domain.tools.map((t) => t.name));
    expect(ds.policy).toContain(domain === 'retail' ? 'Retail support policy' : 'Airline support policy');
    const task = ds.tasks.get('test')![0]!;
    const sandbox = new Sandbox(ds.worldOf(task));
    for (const a of task.actions) expect(sandbox.call(a.name, a.kwargs)).not.toMatch(/^Error/);
    sandbox.close();
  });

  it('refuses a dataset whose files do not match the manifest', () => {
    const dir = tmp();
    generateDataset(dir, { domain, seed: 9, ...small });
    const file = join(dir, 'tasks/dev.jsonl');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"', "'"));
    expect(() => loadDataset(dir)).toThrow(/does not match the manifest hash/);
  });

  it('imports τ-bench data with its own hash and lossless tasks', () => {
    const dir = tmp();
    const manifest = importTaubench(TAU, domain, dir);
    const golden = JSON.parse(readFileSync(join(TAU, 'golden', `${domain}_initial.json`), 'utf8')) as { initial_state_hash: string };
    expect(manifest.worlds.taubench!.state_hash).toBe(golden.initial_state_hash);
    const ds = loadDataset(dir);
    const split = domain === 'retail' ? 'train' : 'test';
    const original = readTaubenchTasks(TAU, domain, split);
    expect(ds.tasks.get(split)!.map((t) => dumps(new Map(t.actions.map((a, i) => [String(i), a.kwargs]))))).toEqual(
      original.map((t) => dumps(new Map(t.actions.map((a, i) => [String(i), a.kwargs])))),
    );
    expect(ds.policy).toBe(readFileSync(join(TAU, 'policy', `${domain}.md`), 'utf8'));
  });
});
