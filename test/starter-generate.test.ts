import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { planGeneratedDataset } from '../src/dataset/build.ts';
import { taskToLine } from '../src/dataset/task-record.ts';
import { getDomain } from '../src/domains/registry.ts';
import { ORDER_IDS, USER_IDS } from '../src/domains/starter/ids.ts';
import { Intent } from '../src/generate/intent.ts';
import { STARTER_ITEMS, STARTER_NAMES, generateStarterWorld } from '../src/generate/starter/world.ts';
import { generateTasks, taskKinds } from '../src/generate/tasks.ts';
import { dumps } from '../src/py/dumps.ts';
import { isList, type PyDict } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { WorldTemplate } from '../src/sandbox/template.ts';
import { needsWrite, writeActions } from '../src/verify/task-writes.ts';
import { Verifier } from '../src/verify/verifier.ts';

const KINDS = ['cancel_order', 'return_order', 'order_status', 'other_users_order'];
const dumpWorld = (seed: number): string => dumps(new Map([...generateStarterWorld(seed)].map(([t, m]) => [t, m as PyDict])));

describe('starter world generator', () => {
  it('is deterministic per seed, and the test world (seed + 1) differs', () => {
    expect(dumpWorld(4)).toBe(dumpWorld(4));
    expect(dumpWorld(5)).not.toBe(dumpWorld(4));
  });

  it('draws ~60 users with 1–3 orders each from the fixed id spaces, without repetition', () => {
    for (const seed of [1, 2, 3]) {
      const w = generateStarterWorld(seed);
      const users = w.get('users')!;
      const orders = w.get('orders')!;
      expect(users.size).toBe(60);
      const owned: string[] = [];
      for (const [id, u] of users) {
        expect(USER_IDS).toContain(id);
        expect([...u.keys()]).toEqual(['user_id', 'name', 'orders']);
        expect(u.get('user_id')).toBe(id);
        expect(STARTER_NAMES).toContain(u.get('name'));
        const list = u.get('orders');
        expect(isList(list) && list.length >= 1 && list.length <= 3).toBe(true);
        owned.push(...(list as string[]));
      }
      expect(new Set(owned).size).toBe(owned.length);
      expect(owned.sort()).toEqual([...orders.keys()].sort());
      for (const [id, o] of orders) {
        expect(ORDER_IDS).toContain(id);
        expect([...o.keys()]).toEqual(['order_id', 'user_id', 'item', 'amount', 'status']);
        expect((users.get(o.get('user_id') as string)!.get('orders') as string[]).includes(id)).toBe(true);
        const item = STARTER_ITEMS.find(([name]) => name === o.get('item'));
        expect(item).toBeDefined();
        expect(Number.isInteger(o.get('amount'))).toBe(true);
        expect(['pending', 'processed', 'delivered', 'cancelled', 'return requested']).toContain(o.get('status'));
        // A record is small: the whole order prints in about 100 characters.
        expect(dumps(o).length).toBeLessThan(120);
      }
    }
    expect(generateStarterWorld(1, { users: 90 }).get('users')!.size).toBe(90);
    expect(() => generateStarterWorld(1, { users: 91 })).toThrow(/1 to 90 users/);
  });
});

/** Every string a write argument holds must be in the user's words (intent) or an earlier observation. */
function underivable(task: Task, observations: string[][]): string[] {
  const known = JSON.stringify(task.intent);
  const writes = new Set(writeActions(task).map((a) => a.name));
  const out: string[] = [];
  task.actions.forEach((a, i) => {
    if (!writes.has(a.name)) return;
    for (const [k, v] of a.kwargs) {
      if (typeof v !== 'string') out.push(`${a.name}.${k} is not a string`);
      else if (!known.includes(JSON.stringify(v)) && !observations[i]!.some((o) => o.includes(JSON.stringify(v)))) out.push(`${a.name}.${k}=${v}`);
    }
  });
  return out;
}

describe('generated starter tasks', () => {
  const world = generateStarterWorld(11);
  const template = WorldTemplate.build(getDomain('starter'), world);
  const verifier = new Verifier(template);
  const tasks = generateTasks('starter', world, { count: 1000, seed: 5, split: 'train' });

  it('cover the four kinds (and some two-request tasks), with valid starter intents', () => {
    expect(taskKinds('starter')).toEqual(KINDS);
    expect([...new Set(tasks.flatMap((t) => t.kind!.split('+')))].sort()).toEqual([...KINDS].sort());
    expect(tasks.some((t) => t.kind!.includes('+'))).toBe(true);
    for (const t of tasks) {
      const intent = Intent.parse(t.intent);
      expect(intent.domain).toBe('starter');
      expect(intent.user.identity).toEqual({ method: 'user_id', user_id: t.userId });
      // Every id the user could need is one of the fixed id spaces.
      for (const a of t.actions) for (const v of a.kwargs.values()) if (typeof v === 'string' && /^(u|#)\d+$/.test(v)) expect([...USER_IDS, ...ORDER_IDS]).toContain(v);
    }
  });

  it('start with get_user, look the order up before acting, and only order_status tasks have outputs (the status word)', () => {
    for (const t of tasks) {
      expect(t.actions[0]).toMatchObject({ name: 'get_user' });
      expect(dumps(t.actions[0]!.kwargs)).toBe(`{"user_id": "${t.userId}"}`);
      t.actions.forEach((a, i) => {
        if (a.name === 'cancel_order' || a.name === 'return_order') {
          expect(t.actions.slice(0, i).some((r) => r.name === 'get_order' && r.kwargs.get('order_id') === a.kwargs.get('order_id'))).toBe(true);
        }
      });
      const asks = Intent.parse(t.intent).requests.filter((r) => r.type === 'order_status');
      expect(t.outputs).toHaveLength(asks.length);
      for (const o of t.outputs) expect(['pending', 'processed', 'delivered', 'cancelled', 'return requested']).toContain(o);
    }
  });

  it('ground truth replays without errors and verifies 1, every write argument is derivable; every near miss verifies 0', () => {
    const failures: string[] = [];
    for (const task of tasks) {
      const sandbox = new Sandbox(template);
      const observations: string[][] = [];
      const seen: string[] = [];
      for (const a of task.actions) {
        observations.push([...seen]);
        const obs = sandbox.call(a.name, a.kwargs);
        if (obs.startsWith('Error')) failures.push(`${task.id} ${a.name}: ${obs}`);
        seen.push(obs);
      }
      if (verifier.verify(sandbox, task, [task.outputs.join(' ')]).reward !== 1) failures.push(`${task.id} (${task.kind}) ground truth verifies 0`);
      sandbox.close();
      for (const m of underivable(task, observations)) failures.push(`${task.id} not derivable: ${m}`);
      const twin = new Sandbox(template);
      for (const a of task.nearMiss!) twin.call(a.name, a.kwargs);
      if (verifier.verify(twin, task, [task.outputs.join(' ')]).reward !== 0) failures.push(`${task.id} (${task.kind}) near miss verifies 1`);
      twin.close();
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });

  it("other_users_order: denied, no write in the ground truth, and the API would accept the cancellation", () => {
    const denied = tasks.filter((t) => t.kind === 'other_users_order');
    expect(denied.length).toBeGreaterThan(50);
    for (const t of denied) {
      expect(needsWrite(t)).toBe(false);
      const [r] = Intent.parse(t.intent).requests;
      expect(r).toMatchObject({ type: 'other_users_order', outcome: 'denied' });
      const extra = t.nearMiss!.at(-1)!;
      expect(extra.name).toBe('cancel_order');
      const sandbox = new Sandbox(template);
      for (const a of t.actions) sandbox.call(a.name, a.kwargs);
      const owner = JSON.parse(sandbox.call('get_order', { order_id: extra.kwargs.get('order_id') })) as { user_id: string };
      expect(owner.user_id).not.toBe(t.userId);
      expect(sandbox.call(extra.name, extra.kwargs)).toContain('"status": "cancelled"');
      sandbox.close();
    }
  });

  it('needsWrite: true exactly for tasks whose ground truth cancels or returns', () => {
    for (const t of tasks) expect(needsWrite(t)).toBe(Intent.parse(t.intent).requests.some((r) => r.type === 'cancel_order' || r.type === 'return_order'));
    expect(tasks.filter(needsWrite).length).toBeGreaterThan(400);
  });

  it('is deterministic per seed', () => {
    const again = generateTasks('starter', world, { count: 1000, seed: 5, split: 'train' });
    expect(again.map(taskToLine)).toEqual(tasks.map(taskToLine));
    expect(generateTasks('starter', world, { count: 50, seed: 6, split: 'train' }).map(taskToLine)).not.toEqual(tasks.slice(0, 50).map(taskToLine));
  });
});

describe('task filters (every domain)', () => {
  const world = generateStarterWorld(2);

  it('--kinds keeps only those kinds, --single-request only single requests', () => {
    const only = generateTasks('starter', world, { count: 200, seed: 1, split: 'train', kinds: ['return_order', 'order_status'] });
    expect(new Set(only.flatMap((t) => t.kind!.split('+')))).toEqual(new Set(['return_order', 'order_status']));
    expect(only.some((t) => t.kind!.includes('+'))).toBe(true);
    const single = generateTasks('starter', world, { count: 200, seed: 1, split: 'train', singleRequest: true });
    expect(single.every((t) => !t.kind!.includes('+'))).toBe(true);
    expect(new Set(single.map((t) => t.kind))).toEqual(new Set(KINDS));
    // A kind that combines with nothing allowed gives single-request tasks.
    const denied = generateTasks('starter', world, { count: 50, seed: 1, split: 'train', kinds: ['other_users_order'] });
    expect(new Set(denied.map((t) => t.kind))).toEqual(new Set(['other_users_order']));
  });

  it('an unknown kind is an error that lists the domain kinds', () => {
    expect(() => generateTasks('starter', world, { count: 5, seed: 1, split: 'train', kinds: ['cancel_order', 'book'] })).toThrow(
      "unknown task kind 'book' for domain starter (kinds: cancel_order, return_order, order_status, other_users_order)",
    );
    expect(() => generateTasks('retail', world, { count: 5, seed: 1, split: 'train', kinds: ['order_status'] })).toThrow(/unknown task kind 'order_status' for domain retail \(kinds: cancel_order, modify_order_address/);
  });

  it('without a filter, the retail and airline generators draw exactly as before', () => {
    // The filter options only narrow the pools: asking for every kind with multi-request tasks is the default.
    const ds = (kinds?: string[]) => planGeneratedDataset({ domain: 'airline', seed: 3, users: 40, tasks: 30, dev: 0, test: 5, ...(kinds && { kinds }) });
    const a = ds();
    const b = ds(taskKinds('airline'));
    expect(b.splits.map((s) => s.tasks.map((t) => t.instruction))).toEqual(a.splits.map((s) => s.tasks.map((t) => t.instruction)));
    expect(a.taskFilter).toBeUndefined();
    expect(b.taskFilter).toEqual({ kinds: taskKinds('airline'), single_request: false });
  });
});
