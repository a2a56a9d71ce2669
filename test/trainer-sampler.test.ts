import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionsSampler } from '../src/trainer/completions-sampler.ts';
import type { SampledCompletion } from '../src/trainer/sampler.ts';
import { bigramLogprobs, decodeIds, startCompletionsServer, type CompletionsServer } from './support/completions-server.ts';

const only = (out: SampledCompletion[][]): SampledCompletion => out[0]![0]!;

describe('CompletionsSampler (vLLM-style completions backend)', () => {
  let server: CompletionsServer;
  beforeAll(async () => {
    server = await startCompletionsServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('returns the sampled ids with their log-probs at the sampling temperature', async () => {
    const sampler = new CompletionsSampler({ baseUrl: server.url, model: server.model });
    const [a, b] = await sampler.sample([
      { promptIds: [1, 2, 3], n: 3, maxTokens: 8, temperature: 0.7, seed: 5 },
      { promptIds: [9], n: 1, maxTokens: 4, temperature: 1, seed: 6 },
    ]);
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(1);
    for (const [prompt, group] of [[[1, 2, 3], a!], [[9], b!]] as [number[], SampledCompletion[]][]) {
      const temperature = prompt.length === 3 ? 0.7 : 1;
      for (const c of group) {
        expect(c.finishReason).toBe('length');
        expect(c.ids).toHaveLength(prompt.length === 3 ? 8 : 4);
        expect(c.text).toBe(decodeIds(c.ids));
        let last = prompt[prompt.length - 1]!;
        c.ids.forEach((tok, i) => {
          expect(c.logprobs[i]).toBeCloseTo(bigramLogprobs(last, 0, temperature)[tok]!, 10);
          last = tok;
        });
      }
    }
  });

  it("spells the stand-in tokenizer's text as t<id> per token", () => {
    expect(decodeIds([5, 12])).toBe('t5t12');
    expect(decodeIds([])).toBe('');
  });

  it('stops at a stop token and keeps it', async () => {
    const sampler = new CompletionsSampler({ baseUrl: server.url, model: server.model });
    const free = only(await sampler.sample([{ promptIds: [4], n: 1, maxTokens: 12, temperature: 1, seed: 3 }]));
    const stop = free.ids[4]!;
    const c = only(await sampler.sample([{ promptIds: [4], n: 1, maxTokens: 12, temperature: 1, seed: 3, stopTokenIds: [stop] }]));
    expect(c.finishReason).toBe('stop');
    expect(c.ids).toEqual(free.ids.slice(0, free.ids.indexOf(stop) + 1));
    expect(c.text.endsWith(`t${stop}`)).toBe(true);
  });

  it('hot-loads a LoRA adapter after an update and samples from it', async () => {
    const sampler = new CompletionsSampler({ baseUrl: server.url, model: server.model });
    await sampler.update({ name: 'policy', path: '/runs/x/checkpoints/1/adapter' });
    expect(sampler.servedModel).toBe('policy');
    const salt1 = server.adapters.get('policy')!;
    const c1 = only(await sampler.sample([{ promptIds: [7], n: 1, maxTokens: 3, temperature: 1, seed: 1 }]));
    expect(c1.logprobs[0]).toBeCloseTo(bigramLogprobs(7, salt1, 1)[c1.ids[0]!]!, 10);
    // A second update replaces the adapter under the same name (unload, then load).
    await sampler.update({ name: 'policy', path: '/runs/x/checkpoints/2/adapter' });
    expect(server.adapters.get('policy')).not.toBe(salt1);
    const last = server.requests.at(-1) as { path: string; body: Record<string, unknown> };
    expect(last).toEqual({ path: '/v1/load_lora_adapter', body: { lora_name: 'policy', lora_path: '/runs/x/checkpoints/2/adapter' } });
  });

  it('reports server errors with their message', async () => {
    const sampler = new CompletionsSampler({ baseUrl: server.url, model: 'missing' });
    await expect(sampler.sample([{ promptIds: [1], n: 1, maxTokens: 2, temperature: 1 }])).rejects.toThrow(/404.*does not exist/);
  });
});
