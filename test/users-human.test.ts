import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { HumanUser } from '../src/users/human-user.ts';
import { STOP_TOKEN } from '../src/users/user.ts';

const task: Task = { id: 'test/3', domain: 'retail', split: 'test', index: 3, userId: 'u3', instruction: 'You are Di. Ask for the status of order #W4.', actions: [], outputs: [] };

function io(): { input: PassThrough; output: PassThrough; shown: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on('data', (c: Buffer) => chunks.push(c.toString('utf8')));
  return { input, output, shown: () => chunks.join('') };
}

describe('human user', () => {
  it('shows the instruction and agent messages, reads replies line by line, ends on ###STOP###', async () => {
    const s = io();
    const ep = new HumanUser({ input: s.input, output: s.output }).start({ task, seed: 0, trial: 0 });
    s.input.write('Hi, where is my order?\nIt is #W4.\n');
    expect(await ep.first()).toEqual({ content: 'Hi, where is my order?', stop: false });
    expect(s.shown()).toContain(task.instruction);
    expect(await ep.reply('Which order?')).toEqual({ content: 'It is #W4.', stop: false });
    expect(s.shown()).toContain('agent: Which order?');
    const pending = ep.reply('It shipped yesterday.');
    s.input.write(`Thanks! ${STOP_TOKEN}\n`);
    expect(await pending).toEqual({ content: `Thanks! ${STOP_TOKEN}`, stop: true });
    expect(s.shown()).toContain('agent: It shipped yesterday.');
  });

  it('an empty line ends the conversation', async () => {
    const s = io();
    const ep = new HumanUser({ input: s.input, output: s.output }).start({ task, seed: 0, trial: 0 });
    s.input.write('hello\n\n');
    expect((await ep.first()).stop).toBe(false);
    expect(await ep.reply('How can I help?')).toEqual({ content: STOP_TOKEN, stop: true });
  });

  it('the end of the input ends the conversation', async () => {
    const s = io();
    const ep = new HumanUser({ input: s.input, output: s.output }).start({ task, seed: 0, trial: 0 });
    s.input.end('only line\n');
    expect((await ep.first()).content).toBe('only line');
    expect(await ep.reply('And?')).toEqual({ content: STOP_TOKEN, stop: true });
  });

  it('an abort ends the wait for a line', async () => {
    const s = io();
    const ep = new HumanUser({ input: s.input, output: s.output }).start({ task, seed: 0, trial: 0 });
    const ac = new AbortController();
    const pending = ep.first(ac.signal);
    ac.abort(new Error('episode cancelled'));
    await expect(pending).rejects.toThrow('episode cancelled');
  });

  it('lines typed ahead carry over to the next episode', async () => {
    const s = io();
    const user = new HumanUser({ input: s.input, output: s.output });
    s.input.write('one\n\ntwo\n');
    const a = user.start({ task, seed: 0, trial: 0 });
    expect((await a.first()).content).toBe('one');
    expect((await a.reply('x')).stop).toBe(true);
    const b = user.start({ task, seed: 0, trial: 1 });
    expect((await b.first()).content).toBe('two');
    user.close();
  });
});
