/**
 * `npm run bench:generate`: time to generate a τ-bench-sized world (retail 500 users / 1,000
 * orders / 50 products; airline 300 flights / 2,000 reservations / 500 users) plus 2,000 tasks,
 * and to build its sandbox template, per domain, in this one process.
 */
import type { DomainName, WorldData } from '../domains/domain.ts';
import { getDomain } from '../domains/registry.ts';
import { generateAirlineWorld } from '../generate/airline/world.ts';
import { generateRetailWorld } from '../generate/retail/world.ts';
import { generateTasks } from '../generate/tasks.ts';
import { WorldTemplate } from '../sandbox/template.ts';
import { formatTable } from './table.ts';

const TASKS = 2000;

export async function run(): Promise<void> {
  const rows: string[][] = [];
  for (const domain of ['retail', 'airline'] as DomainName[]) {
    const t0 = performance.now();
    const world: WorldData = domain === 'retail' ? generateRetailWorld(1) : generateAirlineWorld(1);
    const t1 = performance.now();
    const tasks = generateTasks(domain, world, { count: TASKS, seed: 1, split: 'train' });
    const t2 = performance.now();
    WorldTemplate.build(getDomain(domain), world);
    const t3 = performance.now();
    const sizes = [...world].map(([t, m]) => `${t} ${m.size}`).join(', ');
    rows.push([domain, sizes, String(tasks.length), (t1 - t0).toFixed(0), (t2 - t1).toFixed(0), ((t2 - t0) / 1000).toFixed(2), (t3 - t2).toFixed(0)]);
  }
  process.stdout.write(formatTable(['domain', 'world', 'tasks', 'world ms', 'tasks ms', 'world+tasks s', 'template ms'], rows) + '\n');
  await Promise.resolve();
}
