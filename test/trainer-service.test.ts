/**
 * End to end from TypeScript: start the Python service, SFT the tiny model on demonstrations,
 * sample them back, call the chat facade (live session and saved checkpoint), stop cleanly.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../src/chat/messages.ts';
import { TrainerError } from '../src/trainer/client.ts';
import { startTrainer, type TrainerProcess } from '../src/trainer/process.ts';
import { ServiceSampler } from '../src/trainer/service-sampler.ts';
import { datumFromSequence, type Datum } from '../src/trainer/types.ts';

const SFT_LOSS_THRESHOLD = 0.05; // mean per-token cross-entropy on the demonstrations
const MAX_STEPS = 150;

const DEMOS: ChatMessage[][] = [
  [
    { role: 'user', content: 'Cancel order #W1234567.' },
    { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'cancel_pending_order', arguments: '{"order_id": "#W1234567"}' } }] },
  ],
  [
    { role: 'user', content: 'What is 2 + 3?' },
    { role: 'assistant', content: 'The answer is 5.' },
  ],
];

describe('trainer service from TypeScript', () => {
  let svc: TrainerProcess;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tarl-trainer-'));
    svc = await startTrainer({ threads: 2, startupTimeoutMs: 60_000 });
  });
  afterAll(async () => {
    await svc?.stop(10_000);
    // stop() closed the lifeline: the Python process is gone, not killed by the timeout.
    expect(svc.child.exitCode).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it('SFTs the tiny model below the loss threshold, samples the demonstrations, serves the chat facade, stops', async () => {
    const c = svc.client;
    const { session_id: sid, im_end_id } = await c.createSession({ model: { preset: 'tiny' }, seed: 1, optimizer: { lr: 1e-2 } });
    const data: Datum[] = [];
    const prompts: { ids: number[]; answer: number[] }[] = [];
    for (const demo of DEMOS) {
      const full = await c.render(sid, { messages: demo });
      const prompt = await c.render(sid, { messages: demo.slice(0, -1), generation_prompt: true });
      expect(full.ids.slice(0, prompt.ids.length)).toEqual(prompt.ids); // prefix property
      data.push(datumFromSequence(full.ids, full.mask));
      prompts.push({ ids: prompt.ids, answer: full.ids.slice(prompt.ids.length) });
    }
    let loss = Infinity;
    let steps = 0;
    while (loss >= SFT_LOSS_THRESHOLD && steps < MAX_STEPS) {
      const fb = await c.forwardBackward(sid, data, { kind: 'cross_entropy' });
      loss = fb.metrics['loss/total']!;
      await c.optimStep(sid);
      steps++;
    }
    expect(loss).toBeLessThan(SFT_LOSS_THRESHOLD);

    // Greedy samples reproduce the demonstrations token for token, ending at <|im_end|>.
    const sampler = new ServiceSampler(c, sid);
    const out = await sampler.sample(prompts.map((p) => ({ promptIds: p.ids, n: 1, maxTokens: 40, temperature: 0 })));
    out.forEach((group, i) => {
      expect(group[0]!.ids).toEqual(prompts[i]!.answer);
      expect(group[0]!.ids.at(-1)).toBe(im_end_id);
      expect(group[0]!.finishReason).toBe('stop');
      expect(group[0]!.text.endsWith('<|im_end|>')).toBe(true);
    });
    expect(out[1]![0]!.text).toBe('The answer is 5.<|im_end|>');
    const decoded = await c.decode(sid, out.map((g) => g[0]!.ids), true);
    expect(decoded.texts).toEqual(out.map((g) => g[0]!.text));
    expect(decoded.tokens!.map((t) => t.join(''))).toEqual(decoded.texts);
    expect(decoded.tokens![1]!.at(-1)).toBe('<|im_end|>');

    // The chat facade parses the tool call; the same answer comes from a saved checkpoint.
    const openai = new OpenAI({ baseURL: c.openaiBaseUrl, apiKey: svc.token, maxRetries: 0 });
    const ask = async (model: string) =>
      openai.chat.completions.create({ model, messages: DEMOS[0]!.slice(0, 1), temperature: 0, max_tokens: 40 });
    const live = await ask(`session:${sid}`);
    const call = live.choices[0]!.message.tool_calls?.[0];
    expect(live.choices[0]!.finish_reason).toBe('tool_calls');
    expect(call?.type === 'function' ? [call.function.name, JSON.parse(call.function.arguments)] : null).toEqual(['cancel_pending_order', { order_id: '#W1234567' }]);
    const ck = join(dir, 'checkpoints', String(steps));
    await c.save(sid, ck);
    const saved = await ask(`trained:${ck}`);
    expect(saved.choices[0]!.message.tool_calls?.[0]).toMatchObject({ function: { name: 'cancel_pending_order' } });
    const second = await ask(`session:${sid}`);
    expect(second.choices[0]!.message.tool_calls?.[0]?.type).toBe('function');
  });

  it('trains a tokenizer with record ids as single tokens and builds a scratch model on it', async () => {
    const c = svc.client;
    const texts = Array.from({ length: 20 }, (_, i) => `Order #412 for user u17 is pending (${i}). Cancel #412?`);
    const a = await c.trainTokenizer({ texts, vocab_size: 300, added_tokens: ['#412', 'u17'], out: join(dir, 'tok-a') });
    const b = await c.trainTokenizer({ texts, vocab_size: 300, added_tokens: ['#412', 'u17'], out: join(dir, 'tok-b') });
    expect(b.sha256).toBe(a.sha256);
    expect(a.path).toBe(join(dir, 'tok-a', 'tokenizer.json'));
    const { session_id: sid, origin } = await c.createSession({
      model: { scratch: { layers: 1, hidden: 32, heads: 2, kv_heads: 1, max_positions: 128 }, tokenizer: join(dir, 'tok-a') },
      seed: 2,
    });
    expect(origin).toMatchObject({ tokenizer_sha256: a.sha256, seed: 2 });
    const r = await c.render(sid, { messages: [{ role: 'user', content: 'Cancel #412.' }] });
    const tokens = (await c.decode(sid, [r.ids], true)).tokens![0]!;
    expect(tokens).toContain('#412');
    expect(tokens.join('')).toBe('<|im_start|>user\nCancel #412.<|im_end|>');
  });

  it('answers malformed requests with a precise 4xx and keeps serving', async () => {
    const c = svc.client;
    const { session_id: sid } = await c.createSession({ model: { preset: 'tiny' } });
    const err = await c.sample(sid, [[1, 2]], { n: 0 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TrainerError);
    expect((err as TrainerError).status).toBe(400);
    expect((err as TrainerError).message).toContain('n: Input should be greater than or equal to 1');
    const bad = await c.forward(sid, [{ input_ids: [1, 2], target_ids: [2, 99_999] }]).catch((e: unknown) => e);
    expect((bad as TrainerError).message).toContain('token id 99999 outside [0, 1024)');
    const missing = await c.optimStep('no-such-session').catch((e: unknown) => e);
    expect((missing as TrainerError).status).toBe(404);
    const ok = await c.sample(sid, [[1, 2]], { max_tokens: 3 });
    expect(ok.samples[0]![0]!.ids).toHaveLength(3);
  });
});
