import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { POLICIES_DIR } from '../src/dataset/build.ts';
import { ourToolDefinitions } from '../src/dataset/tools-file.ts';
import { getDomain } from '../src/domains/registry.ts';
import { ORDER_IDS, starterIdVocabulary, USER_IDS } from '../src/domains/starter/ids.ts';
import { dict } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { WorldTemplate } from '../src/sandbox/template.ts';

const starter = getDomain('starter');

/** A hand-made world: u10 owns a pending, a delivered and a processed order; u11 a pending one. */
function world(): WorldTemplate {
  const order = (order_id: string, user_id: string, item: string, amount: number, status: string) =>
    [order_id, dict([['order_id', order_id], ['user_id', user_id], ['item', item], ['amount', amount], ['status', status]])] as const;
  return WorldTemplate.build(
    starter,
    new Map([
      [
        'users',
        new Map([
          ['u10', dict([['user_id', 'u10'], ['name', 'Ada'], ['orders', ['#100', '#101', '#102']]])],
          ['u11', dict([['user_id', 'u11'], ['name', 'Ben'], ['orders', ['#103']]])],
        ]),
      ],
      [
        'orders',
        new Map([
          order('#100', 'u10', 'lamp', 35, 'pending'),
          order('#101', 'u10', 'yoga mat', 20, 'delivered'),
          order('#102', 'u10', 'mug', 9, 'processed'),
          order('#103', 'u11', 'tent', 120, 'pending'),
        ]),
      ],
    ]),
  );
}

const template = world();
const run = (calls: [string, Record<string, unknown>][]): string[] => {
  const sb = new Sandbox(template);
  try {
    return calls.map(([name, kwargs]) => sb.call(name, kwargs));
  } finally {
    sb.close();
  }
};

describe('starter tools', () => {
  it('are the five tools, one per file, with compact one-sentence descriptions', () => {
    expect(starter.tools.map((t) => [t.name, t.kind])).toEqual([
      ['get_user', 'read'],
      ['get_order', 'read'],
      ['cancel_order', 'write'],
      ['return_order', 'write'],
      ['transfer_to_human_agents', 'terminate'],
    ]);
    for (const t of starter.tools) expect(t.description.split(/[.;] /).length, t.name).toBe(1);
    expect(starter.tables).toEqual(['users', 'orders']);
  });

  it('get_user and get_order print the record as Python json.dumps does, or an error', () => {
    expect(run([['get_user', { user_id: 'u10' }]])).toEqual(['{"user_id": "u10", "name": "Ada", "orders": ["#100", "#101", "#102"]}']);
    expect(run([['get_order', { order_id: '#101' }]])).toEqual(['{"order_id": "#101", "user_id": "u10", "item": "yoga mat", "amount": 20, "status": "delivered"}']);
    expect(run([['get_user', { user_id: 'u99' }], ['get_order', { order_id: '#999' }], ['get_order', { order_id: 101 }]])).toEqual([
      'Error: user not found',
      'Error: order not found',
      'Error: order not found',
    ]);
  });

  it('cancel_order cancels a pending order and records the reason; every error path', () => {
    expect(run([['cancel_order', { order_id: '#100', reason: 'ordered by mistake' }], ['get_order', { order_id: '#100' }]])).toEqual([
      '{"order_id": "#100", "user_id": "u10", "item": "lamp", "amount": 35, "status": "cancelled", "cancel_reason": "ordered by mistake"}',
      '{"order_id": "#100", "user_id": "u10", "item": "lamp", "amount": 35, "status": "cancelled", "cancel_reason": "ordered by mistake"}',
    ]);
    expect(
      run([
        ['cancel_order', { order_id: '#999', reason: 'no longer needed' }],
        ['cancel_order', { order_id: '#101', reason: 'no longer needed' }],
        ['cancel_order', { order_id: '#102', reason: 'no longer needed' }],
        ['cancel_order', { order_id: '#100', reason: 'too expensive' }],
        ['cancel_order', { order_id: '#100' }],
        ['cancel_order', { order_id: '#100', reason: 'no longer needed', user_id: 'u10' }],
      ]),
    ).toEqual([
      'Error: order not found',
      'Error: non-pending order cannot be cancelled',
      'Error: non-pending order cannot be cancelled',
      'Error: invalid reason',
      "Error: CancelOrder.invoke() missing 1 required positional argument: 'reason'",
      "Error: CancelOrder.invoke() got an unexpected keyword argument 'user_id'",
    ]);
    // A second cancellation of the same order fails: it is no longer pending.
    expect(run([['cancel_order', { order_id: '#100', reason: 'no longer needed' }], ['cancel_order', { order_id: '#100', reason: 'no longer needed' }]])[1]).toBe(
      'Error: non-pending order cannot be cancelled',
    );
  });

  it('return_order requests the return of a delivered order; every error path', () => {
    expect(run([['return_order', { order_id: '#101' }]])).toEqual(['{"order_id": "#101", "user_id": "u10", "item": "yoga mat", "amount": 20, "status": "return requested"}']);
    expect(run([['return_order', { order_id: '#999' }], ['return_order', { order_id: '#100' }], ['return_order', { order_id: '#102' }], ['return_order', {}]])).toEqual([
      'Error: order not found',
      'Error: non-delivered order cannot be returned',
      'Error: non-delivered order cannot be returned',
      "Error: ReturnOrder.invoke() missing 1 required positional argument: 'order_id'",
    ]);
  });

  it("does not check who owns an order (acting on another customer's order is a policy matter)", () => {
    const sb = new Sandbox(template);
    expect(sb.call('cancel_order', { order_id: '#103', reason: 'no longer needed' })).toContain('"status": "cancelled"');
    expect([...sb.changedRecords().get('orders')!.keys()]).toEqual(['#103']);
    sb.close();
  });

  it('transfer_to_human_agents ends the conversation and changes nothing', () => {
    const sb = new Sandbox(template);
    expect(sb.call('transfer_to_human_agents', { summary: 'wants a refund' })).toBe('Transfer successful');
    expect(sb.changedRecords().size).toBe(0);
    sb.close();
  });
});

describe('starter id spaces', () => {
  it('list every id once: u10…u99 and #100…#999', () => {
    const vocab = starterIdVocabulary();
    expect(vocab).toHaveLength(90 + 900);
    expect(new Set(vocab).size).toBe(vocab.length);
    expect([USER_IDS[0], USER_IDS.at(-1), ORDER_IDS[0], ORDER_IDS.at(-1)]).toEqual(['u10', 'u99', '#100', '#999']);
    expect(vocab.every((id) => /^(u[1-9]\d|#[1-9]\d\d)$/.test(id))).toBe(true);
  });
});

describe('starter policy and tool definitions', () => {
  const policy = readFileSync(join(POLICIES_DIR, 'starter', 'policy.md'), 'utf8');
  const tools = ourToolDefinitions(starter, join(POLICIES_DIR, 'starter', 'tools.json'));

  it('the policy is at most 120 words', () => {
    expect(policy.split(/\s+/).filter(Boolean).length).toBeLessThanOrEqual(120);
  });

  it('the system prompt (policy + tool definitions as JSON) is at most 3000 characters', () => {
    const prompt = `${policy}\n${JSON.stringify(tools)}`;
    console.log(`starter system prompt: ${prompt.length} characters (policy ${policy.length}, tools JSON ${JSON.stringify(tools).length})`);
    expect(prompt.length).toBeLessThanOrEqual(3000);
    expect(tools.map((t) => t.function.name)).toEqual(starter.tools.map((t) => t.name));
    expect(tools.find((t) => t.function.name === 'cancel_order')!.function.parameters).toMatchObject({
      properties: { reason: { enum: ['no longer needed', 'ordered by mistake'] } },
      required: ['order_id', 'reason'],
    });
  });
});
