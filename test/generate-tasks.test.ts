import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { getDomain } from '../src/domains/registry.ts';
import { generateAirlineWorld } from '../src/generate/airline/world.ts';
import { Intent } from '../src/generate/intent.ts';
import { generateRetailWorld } from '../src/generate/retail/world.ts';
import { generateTasks } from '../src/generate/tasks.ts';
import { isDict, isFloat, isList, type PyValue } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { WorldTemplate } from '../src/sandbox/template.ts';
import { Verifier } from '../src/verify/verifier.ts';

/** Small worlds keep a sandbox clone cheap; 1,000 tasks per domain still cover every kind. */
const cases = [
  { domain: 'retail' as const, world: generateRetailWorld(11, { users: 150, orders: 300, products: 50 }) },
  { domain: 'airline' as const, world: generateAirlineWorld(11, { users: 150, reservations: 600, flights: 200 }) },
];

function leaves(v: unknown, out: { s: Set<string>; n: Set<number> }): void {
  if (typeof v === 'string') out.s.add(v);
  else if (typeof v === 'number') out.n.add(v);
  else if (Array.isArray(v)) v.forEach((x) => leaves(x, out));
  else if (v && typeof v === 'object') Object.values(v).forEach((x) => leaves(x, out));
}

function pyLeaves(v: PyValue, key: string, out: [string, PyValue][]): void {
  if (isList(v)) v.forEach((x) => pyLeaves(x, key, out));
  else if (isDict(v)) for (const [k, x] of v) pyLeaves(x, k, out);
  else out.push([key, v]);
}

const numbersIn = (text: string): number[] => (text.match(/-?\d+(?:\.\d+)?/g) ?? []).map(Number);

/** A write argument is derivable when the intent holds it or an earlier read printed it. */
function underivable(task: Task, writeNames: Set<string>, observations: string[][]): string[] {
  const known = { s: new Set<string>(), n: new Set<number>() };
  leaves(task.intent, known);
  const missing: string[] = [];
  task.actions.forEach((a, i) => {
    if (!writeNames.has(a.name)) return;
    const seen = observations[i]!;
    const args: [string, PyValue][] = [];
    pyLeaves(a.kwargs, '', args);
    for (const [key, value] of args) {
      if (key === 'summary') continue;
      if (typeof value === 'string') {
        if (!known.s.has(value) && !seen.some((o) => o === value || o.includes(JSON.stringify(value)))) missing.push(`${a.name}.${key}=${value}`);
      } else if (typeof value === 'number' || isFloat(value)) {
        const n = isFloat(value) ? value.value : value;
        if (!known.n.has(n) && !seen.some((o) => numbersIn(o).includes(n))) missing.push(`${a.name}.${key}=${n}`);
      }
    }
  });
  return missing;
}

describe.each(cases)('generated $domain tasks', ({ domain, world }) => {
  const tasks = generateTasks(domain, world, { count: 1000, seed: 5, split: 'train' });
  const template = WorldTemplate.build(getDomain(domain), world);
  const verifier = new Verifier(template);
  const writes = new Set(getDomain(domain).tools.filter((t) => t.kind === 'write').map((t) => t.name));

  it('cover every request kind and outcome, with valid intents', () => {
    const kinds = new Set(tasks.flatMap((t) => t.kind!.split('+')));
    const expected = domain === 'retail'
      ? ['cancel_order', 'modify_order_address', 'modify_order_payment', 'modify_order_items', 'return_items', 'exchange_items', 'modify_user_address', 'other_users_order', 'damaged_items_refund']
      : ['book', 'change_flight_date', 'change_cabin', 'add_bags', 'remove_bags', 'replace_passenger', 'cancel_reservation', 'compensation'];
    expect([...kinds].sort()).toEqual([...expected].sort());
    const outcomes = new Set(tasks.flatMap((t) => Intent.parse(t.intent).requests.map((r) => r.outcome)));
    expect([...outcomes].sort()).toEqual(['denied', 'performed', 'transferred']);
    expect(tasks.some((t) => t.kind!.includes('+'))).toBe(true);
    expect(tasks.some((t) => t.outputs.length > 0)).toBe(true);
    expect(new Set(tasks.map((t) => t.difficulty)).size).toBeGreaterThanOrEqual(3);
  });

  it('ground truth replays without errors, verifies 1, and every argument is derivable; near-misses verify 0', () => {
    const failures: string[] = [];
    for (const task of tasks) {
      const sandbox = new Sandbox(template);
      const observations: string[][] = [];
      const seen: string[] = [];
      for (const a of task.actions) {
        observations.push([...seen]);
        const obs = sandbox.call(a.name, a.kwargs);
        if (obs.startsWith('Error') || obs.startsWith('Unknown action')) failures.push(`${task.id} ${a.name}: ${obs}`);
        seen.push(obs);
      }
      const ok = verifier.verify(sandbox, task, [task.outputs.join(' ')]);
      sandbox.close();
      if (ok.reward !== 1) failures.push(`${task.id} (${task.kind}) ground truth verifies 0`);
      for (const m of underivable(task, writes, observations)) failures.push(`${task.id} not derivable: ${m}`);
      const twin = new Sandbox(template);
      for (const a of task.nearMiss!) twin.call(a.name, a.kwargs);
      const miss = verifier.verify(twin, task, [task.outputs.join(' ')]);
      twin.close();
      if (miss.reward !== 0) failures.push(`${task.id} (${task.kind}) near-miss verifies 1`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it('policy-forbidden requests have no write in the ground truth, yet the API accepts the forbidden write', () => {
    const forbidden = tasks.filter((t) => Intent.parse(t.intent).requests.some((r) => r.outcome === 'denied'));
    expect(forbidden.length).toBeGreaterThan(20);
    for (const task of forbidden) {
      expect(task.actions.filter((a) => writes.has(a.name))).toEqual([]);
      const sandbox = new Sandbox(template);
      for (const a of task.actions) sandbox.call(a.name, a.kwargs);
      const extra = task.nearMiss![task.nearMiss!.length - 1]!;
      expect(writes.has(extra.name)).toBe(true);
      const obs = sandbox.call(extra.name, extra.kwargs);
      expect(obs.startsWith('Error'), `${task.id} ${extra.name}: ${obs}`).toBe(false);
      expect(sandbox.changedRecords().size).toBeGreaterThan(0);
      sandbox.close();
    }
  });
});
