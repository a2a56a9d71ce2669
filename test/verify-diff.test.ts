import { describe, expect, it } from 'vitest';
import { readTaubenchTasks } from '../src/dataset/taubench.ts';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { parsePy } from '../src/py/parse.ts';
import { isDict } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { Verifier } from '../src/verify/verifier.ts';
import { taubenchDir } from './support/taubench.ts';

const template = loadTaubenchWorld(taubenchDir(), 'retail');
const verifier = new Verifier(template);
const tasks = readTaubenchTasks(taubenchDir(), 'retail', 'test');

describe('verifier diff', () => {
  it('shows records as Python json.dumps text and names the fields that differ', () => {
    const task = tasks.find((t) => t.actions.some((a) => a.name === 'cancel_pending_order'))!;
    const cancel = task.actions.find((a) => a.name === 'cancel_pending_order')!;
    const orderId = String(cancel.kwargs.get('order_id'));
    const sandbox = new Sandbox(template);
    const info = verifier.verify(sandbox, task, [], 'db');
    sandbox.close();
    const d = info.diff.find((x) => x.table === 'orders' && x.key === orderId)!;
    expect(d.actual).toBeNull();
    const expected = parsePy(d.expected!);
    expect(isDict(expected) && expected.get('status')).toBe('cancelled');
    expect(d.expected).toContain('"status": "cancelled"');
    expect(d.fields).toEqual(expect.arrayContaining(['status', 'cancel_reason']));
    expect(d.fields).not.toContain('user_id');
  });
});
