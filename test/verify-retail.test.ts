import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { readTaubenchTasks } from '../src/dataset/taubench.ts';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { parsePy } from '../src/py/parse.ts';
import { deepCopy, isDict, isList, type PyDict } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { outputFound, rewardActions, Verifier } from '../src/verify/verifier.ts';
import { taubenchDir } from './support/taubench.ts';

const dir = taubenchDir();
const template = loadTaubenchWorld(dir, 'retail');
const verifier = new Verifier(template);
const splits = ['train', 'test', 'dev'] as const;
const tasks = Object.fromEntries(splits.map((s) => [s, readTaubenchTasks(dir, 'retail', s)])) as Record<string, Task[]>;

function goldenHashes(split: string): string[] {
  return readFileSync(join(dir, 'golden', `retail_${split}_replay.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => (parsePy(l) as PyDict).get('state_hash') as string);
}

/** Runs actions on a fresh world; returns the sandbox (caller closes) and the observations. */
function run(actions: Task['actions']): { sandbox: Sandbox; observations: string[] } {
  const sandbox = new Sandbox(template);
  const observations = actions.map((a) => sandbox.call(a.name, a.kwargs));
  return { sandbox, observations };
}

describe('Verifier ground truth on every retail task', () => {
  it.each(splits)('%s: the ground-truth replay reaches the golden state hash and verifies 1', (split) => {
    const hashes = goldenHashes(split);
    expect(hashes.length).toBe(tasks[split]!.length);
    tasks[split]!.forEach((task, i) => {
      const { sandbox } = run(rewardActions(task));
      expect(sandbox.stateHash(), task.id).toBe(hashes[i]);
      const info = verifier.verify(sandbox, task, task.outputs, 'taubench');
      expect(info.reward, task.id).toBe(1);
      expect(info.diff).toEqual([]);
      sandbox.close();
    });
  });
});

type Mutation = (kwargs: PyDict, task: Task) => boolean;

/** Another available variant of the same product for the first new item. */
const otherVariant: Mutation = (kwargs) => {
  const ids = kwargs.get('new_item_ids');
  if (!isList(ids) || typeof ids[0] !== 'string') return false;
  const sandbox = new Sandbox(template);
  try {
    for (const key of sandbox.world.keys('products')) {
      const variants = sandbox.world.get('products', key)!.get('variants');
      if (!isDict(variants) || !variants.has(ids[0])) continue;
      for (const [id, v] of variants) {
        if (id !== ids[0] && isDict(v) && v.get('available') === true) {
          ids[0] = id;
          return true;
        }
      }
    }
  } finally {
    sandbox.close();
  }
  return false;
};

/** Another payment method of the task's user. */
const otherPayment: Mutation = (kwargs, task) => {
  const current = kwargs.get('payment_method_id');
  if (typeof current !== 'string') return false;
  const sandbox = new Sandbox(template);
  try {
    const methods = sandbox.world.get('users', task.userId)?.get('payment_methods');
    if (!isDict(methods)) return false;
    const other = [...methods.keys()].find((k) => k !== current);
    if (!other) return false;
    kwargs.set('payment_method_id', other);
    return true;
  } finally {
    sandbox.close();
  }
};

describe('Verifier near-misses', () => {
  it.each([
    ['another variant of the same product', otherVariant],
    ['another payment method of the user', otherPayment],
  ] as const)('%s verifies 0 with a diff naming the record', (_label, mutate) => {
    let checked = 0;
    for (const task of [...tasks.test!, ...tasks.dev!, ...tasks.train!]) {
      const truth = rewardActions(task);
      const actions = truth.map((a) => ({ name: a.name, kwargs: deepCopy(a.kwargs) }));
      const index = actions.findIndex((a) => mutate(a.kwargs, task));
      if (index < 0) continue;
      const gt = run(truth);
      gt.sandbox.close();
      const { sandbox, observations } = run(actions);
      // A near-miss must differ when both it and the truth's call took effect (a refused
      // call, or a later GT call redoing the work, can legitimately reach GT's state).
      const effective = (obs: string): boolean => !obs.startsWith('Error');
      if (effective(observations[index]!) && effective(gt.observations[index]!) && actions.length === 1) {
        const info = verifier.verify(sandbox, task, task.outputs, 'taubench');
        expect(info.reward, task.id).toBe(0);
        expect(info.dbMatch).toBe(false);
        const orderId = actions[index]!.kwargs.get('order_id');
        expect(info.diff.map((d) => `${d.table}/${d.key}`), task.id).toContain(`orders/${String(orderId)}`);
        checked++;
      }
      sandbox.close();
    }
    expect(checked).toBeGreaterThan(0);
  });
});

describe('Verifier outputs check and modes', () => {
  const withOutputs = tasks.test!.find((t) => t.outputs.length > 0)!;

  it('matches outputs case-insensitively after removing commas from the agent text only', () => {
    expect(outputFound('1,000', ['it costs 1000'])).toBe(false);
    expect(outputFound('1000', ['It costs 1,000 dollars'])).toBe(true);
    expect(outputFound('Camera', ['your CAMERA is here'])).toBe(true);
    expect(outputFound('camera', ['no match', 'still none'])).toBe(false);
  });

  it('needs every output in τ-bench mode, none in DB-only mode', () => {
    const { sandbox } = run(rewardActions(withOutputs));
    const said = withOutputs.outputs.map((o) => `The answer is ${o.toUpperCase()}.`);
    expect(verifier.verify(sandbox, withOutputs, said, 'taubench').reward).toBe(1);
    const missing = verifier.verify(sandbox, withOutputs, said.slice(1), 'taubench');
    expect(missing.reward).toBe(0);
    expect(missing.dbMatch).toBe(true);
    expect(missing.outputs[0]).toEqual({ output: withOutputs.outputs[0], found: false });
    const dbOnly = verifier.verify(sandbox, withOutputs, [], 'db');
    expect(dbOnly.reward).toBe(1);
    expect(dbOnly.outputs).toEqual([]);
    sandbox.close();
  });

  it('an untouched world fails a task that writes, naming the records the truth changed', () => {
    const task = tasks.dev![0]!;
    const sandbox = new Sandbox(template);
    const info = verifier.verify(sandbox, task, [], 'db');
    expect(info.reward).toBe(0);
    expect(info.diff.length).toBeGreaterThan(0);
    expect(info.diff.every((d) => d.actual === null && d.expected !== null)).toBe(true);
    sandbox.close();
  });

  it('counts an int turned float as a change (τ-bench hash semantics)', () => {
    // Train task 8 only turns a gift-card balance 9 into 9.0: canonically equal, typed different.
    const task = tasks.train![8]!;
    const sandbox = new Sandbox(template);
    const info = verifier.verify(sandbox, task, [], 'db');
    expect(info.reward).toBe(0);
    expect(info.diff.some((d) => d.table === 'users')).toBe(true);
    sandbox.close();
  });
});
