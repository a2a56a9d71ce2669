import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { retail } from '../src/domains/retail/index.ts';
import { readTaubenchTasks } from '../src/dataset/taubench.ts';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { deepCopy, isList } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { toolDefinition } from '../src/sandbox/tool-schema.ts';
import { rewardActions, Verifier } from '../src/verify/verifier.ts';
import { taubenchDir } from './support/taubench.ts';

const dir = taubenchDir();
const template = loadTaubenchWorld(dir, 'retail');
const verifier = new Verifier(template);
const SWAPPABLE = new Set(['modify_pending_order_items', 'exchange_delivered_order_items']);

describe('retail near-miss: two new item ids swapped', () => {
  it('verifies 0 with a diff naming the order, on every task where the swap changes the call', () => {
    let checked = 0;
    for (const split of ['test', 'train', 'dev']) {
      for (const task of readTaubenchTasks(dir, 'retail', split)) {
        const truth = rewardActions(task);
        const index = truth.findIndex((a) => {
          const ids = a.kwargs.get('new_item_ids');
          return SWAPPABLE.has(a.name) && isList(ids) && ids.length >= 2 && ids[0] !== ids[1];
        });
        if (index < 0) continue;
        const gt = new Sandbox(template);
        const gtObs = truth.map((a) => gt.call(a.name, a.kwargs));
        gt.close();
        if (gtObs[index]!.startsWith('Error')) continue; // the truth's own call failed: nothing to miss
        const actions = truth.map((a) => ({ name: a.name, kwargs: deepCopy(a.kwargs) }));
        const ids = actions[index]!.kwargs.get('new_item_ids') as string[];
        [ids[0], ids[1]] = [ids[1]!, ids[0]!];
        const sandbox = new Sandbox(template);
        const obs = actions.map((a) => sandbox.call(a.name, a.kwargs));
        // An exchange stores sorted item lists, so swapping two new items of the same product is
        // the same request (and τ-bench's state is identical); across products it is refused.
        if (actions[index]!.name === 'exchange_delivered_order_items' && !obs[index]!.startsWith('Error')) {
          sandbox.close();
          continue;
        }
        const info = verifier.verify(sandbox, task, task.outputs, 'taubench');
        sandbox.close();
        expect(info.reward, task.id).toBe(0);
        const orderId = String(actions[index]!.kwargs.get('order_id'));
        expect(info.diff.map((d) => `${d.table}/${d.key}`), task.id).toContain(`orders/${orderId}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('retail tool definitions', () => {
  it('publish τ-bench tools/retail.json (names, order, descriptions, parameters)', () => {
    const text = readFileSync(join(dir, 'tools', 'retail.json'), 'utf8');
    const golden: unknown = JSON.parse(text);
    // Same JSON value (τ-bench's own files differ in where `description` sits inside arrays, so
    // byte order is not a property of the schema; imported datasets carry the original file).
    expect(retail.tools.map(toolDefinition)).toEqual(golden);
  });
});
