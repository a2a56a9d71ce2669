import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { isNo, isYes, recognise, type AgentAct } from '../src/dialogue/acts.ts';
import { checkConfirmation } from '../src/dialogue/check.ts';
import { CLARIFICATION, GIVE_UP } from '../src/dialogue/user-phrases.ts';
import type { Intent } from '../src/generate/intent.ts';
import { MAX_CLARIFICATIONS, ScriptedUser } from '../src/users/scripted.ts';

/** Varied phrasings (ours and typical LLM agents') and the acts each must carry. */
const PHRASINGS: readonly (readonly [string, readonly AgentAct[]])[] = [
  ['Hello, thank you for contacting us! Could you please verify your identity with your email address?', ['greeting', 'ask_identity']],
  ['Hi there! To get started, can you share the email associated with your account?', ['greeting', 'ask_identity']],
  ["I'd be happy to help. First, please provide your first and last name along with your zip code.", ['ask_identity']],
  ['Sure — may I have your user ID so I can pull up your profile?', ['ask_identity']],
  ['How can I help you today?', ['ask_request']],
  ['Which order would you like to return items from? Please share the order ID.', ['ask_detail']],
  ['Could you tell me which payment method you would like the refund to go to?', ['ask_detail']],
  ['To confirm: I will cancel order #W1234567 because it was ordered by mistake. Shall I proceed? (yes/no)', ['confirm_request']],
  ['Here are the details:\n- Exchange: Laptop (i7) → Laptop (i9)\n- Payment: PayPal\nWould you like me to go ahead with this exchange?', ['confirm_request']],
  ['I can change the shipping address of order #W7654321 to 12 Oak St. Do you want me to proceed?', ['confirm_request']],
  ['Your order #W1234567 has been successfully cancelled. The refund will go back to your card.', ['report_outcome']],
  ["All set! I've updated the address on your account.", ['report_outcome']],
  ['The exchange went through; you will receive an email with instructions.', ['report_outcome']],
  ["I'm sorry, but I couldn't complete that: the item is not available.", ['report_failure']],
  ["I'm sorry, but I cannot cancel an order that belongs to another customer.", ['deny']],
  ['Unfortunately, basic economy tickets are not eligible for changes under our policy.', ['deny']],
  ['Let me transfer you to a human agent who can help with that.', ['transfer']],
  ['Is there anything else I can help you with?', ['close']],
  ['Thanks for reaching out, have a great day!', ['greeting', 'close']],
];

describe('dialogue-act recognition', () => {
  it.each(PHRASINGS)('%s', (text, acts) => {
    const got = recognise(text);
    for (const a of acts) expect([...got]).toContain(a);
  });

  it('does not take a request to confirm an identity for a write confirmation', () => {
    expect(recognise('Could you confirm your email address?').has('confirm_request')).toBe(false);
    expect(recognise('Could you confirm your email address?').has('ask_identity')).toBe(true);
  });

  it('finds nothing in text that carries no act', () => {
    for (const t of ['The weather is lovely.', 'Processing...', '{"order_id": "#W1"}', '']) expect([...recognise(t)]).toEqual([]);
  });

  it('reads yes and no answers', () => {
    for (const t of ['Yes, please go ahead.', 'yes', 'Sure, go ahead!', "Yes, that's right."]) expect(isYes(t)).toBe(true);
    for (const t of ["No, that's not what I asked for.", 'no', 'Please do not do that.']) {
      expect(isNo(t)).toBe(true);
      expect(isYes(t)).toBe(false);
    }
  });
});

const intent: Intent = {
  domain: 'retail',
  kind: 'modify_order_items',
  user: { name: 'Ada Lopez', identity: { method: 'email', email: 'ada.lopez@example.com' } },
  requests: [
    {
      type: 'modify_order_items',
      outcome: 'performed',
      order: { order_id: '#W1234567', products: ['T-Shirt', 'Laptop'] },
      changes: [{ item: { product: 'T-Shirt', options: { color: 'blue', size: 'M' } }, to: { color: 'red', size: 'M' } }],
      payment: { source: 'credit_card', last_four: '4242' },
    },
  ],
  confirms: true,
  refuses: [],
  persona: { tone: 'polite and patient', forthcoming: false },
};

const task: Task = { id: 'test/0', domain: 'retail', split: 'test', index: 0, userId: 'ada_lopez_1', instruction: '', actions: [], outputs: [], intent };

const good = 'Here is what I am going to do: in order #W1234567, change the T-Shirt (color: blue, size: M) to the T-Shirt (color: red, size: M), with any price difference through your credit card ending in 4242. Do you confirm (yes/no)?';

describe('scripted user', () => {
  it('opens without leaking what it does not know, identifies itself when asked, and gives details', async () => {
    const ep = new ScriptedUser().start({ task, seed: 1, trial: 0 });
    const open = await ep.first();
    expect(open.content).not.toContain('ada_lopez_1');
    expect(open.content).not.toContain('#W1234567'); // not forthcoming: details only when asked
    const id = await ep.reply('Hello! Could you please provide your email address and the details of your request?');
    expect(id.content).toContain('ada.lopez@example.com');
    expect(id.content).toContain('#W1234567');
    expect(id.content).not.toContain('ada_lopez_1');
  });

  it('confirms a summary that matches its intent and refuses near misses', async () => {
    const answer = async (text: string): Promise<string> => (await new ScriptedUser().start({ task, seed: 1, trial: 0 }).reply(text)).content;
    expect(await answer(good)).toMatch(/^Yes/);
    expect(await answer(good.replace('#W1234567', '#W7654321'))).toMatch(/^No/);
    expect(await answer(good.replace('ending in 4242', 'ending in 1111'))).toMatch(/^No/);
    expect(await answer(good.replace('color: red', 'color: black'))).toMatch(/^No/);
    expect(await answer(good.replace('your credit card ending in 4242', 'your PayPal account'))).toMatch(/^No/);
    expect(await answer('Here is what I am going to do: cancel order #W1234567. Do you confirm (yes/no)?')).toMatch(/^No/);
  });

  it('counts unrecognised text as clarifications in stats() and stops after too many', async () => {
    const ep = new ScriptedUser().start({ task, seed: 1, trial: 0 });
    for (let i = 1; i <= MAX_CLARIFICATIONS; i++) {
      const r = await ep.reply('Processing your account data, please hold.');
      expect(r).toMatchObject({ content: CLARIFICATION, stop: false });
      expect(ep.stats?.().clarifications).toBe(i);
    }
    const last = await ep.reply('Lorem ipsum.');
    expect(last).toMatchObject({ content: GIVE_UP, stop: true });
  });

  it('ends with ###STOP### once its request is done', async () => {
    const ep = new ScriptedUser().start({ task, seed: 1, trial: 0 });
    await ep.reply(good);
    const end = await ep.reply('Your order #W1234567 has been updated successfully. Is there anything else I can help you with?');
    expect(end.stop).toBe(true);
    expect(end.content).toContain('###STOP###');
    expect(ep.stats?.()).toMatchObject({ confirmations: 1, settled: 1, clarifications: 0 });
  });
});

describe('confirmation checks', () => {
  it('need the facts the user knows and reject contradicted ones', () => {
    const r = intent.requests[0]!;
    expect(checkConfirmation(r, good).ok).toBe(true);
    expect(checkConfirmation(r, good.replace('T-Shirt (color: blue, size: M) to the ', '')).ok).toBe(true);
    expect(checkConfirmation(r, good.replace('size: M)', 'size: L)').replace('size: M)', 'size: L)')).problems).toEqual(["missing T-Shirt option 'M'"]);
  });
});
