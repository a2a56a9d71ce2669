import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CompletionsSampler } from '../src/trainer/completions-sampler.ts';
import type { SampledCompletion } from '../src/trainer/sampler.ts';
import { bigramLogprobs, decodeIds, saltOf, startCompletionsServer, type CompletionsServer } from './support/completions-server.ts';

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

  it('hot-loads each version under its own name, then unloads the previous one', async () => {
    const sampler = new CompletionsSampler({ baseUrl: server.url, model: server.model });
    await sampler.update({ kind: 'adapter', name: 'policy-v1', path: '/runs/x/adapters/1' });
    expect(sampler.servedModel).toBe('policy-v1');
    const salt1 = server.adapters.get('policy-v1')!;
    const c1 = only(await sampler.sample([{ promptIds: [7], n: 1, maxTokens: 3, temperature: 1, seed: 1 }]));
    expect(c1.logprobs[0]).toBeCloseTo(bigramLogprobs(7, salt1, 1)[c1.ids[0]!]!, 10);
    const n0 = server.requests.length;
    await sampler.update({ kind: 'adapter', name: 'policy-v2', path: '/runs/x/adapters/2' });
    // The new version is loaded first, the old one unloaded after: never a moment without a live adapter.
    expect(server.requests.slice(n0)).toEqual([
      { path: '/v1/load_lora_adapter', body: { lora_name: 'policy-v2', lora_path: '/runs/x/adapters/2' } },
      { path: '/v1/unload_lora_adapter', body: { lora_name: 'policy-v1' } },
    ]);
    expect([...server.adapters.keys()]).toEqual(['policy-v2']);
    const c2 = only(await sampler.sample([{ promptIds: [7], n: 1, maxTokens: 3, temperature: 1, seed: 1 }]));
    expect(server.requests.at(-1)!.body.model).toBe('policy-v2');
    expect(c2.logprobs[0]).toBeCloseTo(bigramLogprobs(7, saltOf('/runs/x/adapters/2'), 1)[c2.ids[0]!]!, 10);
    await expect(sampler.update({ kind: 'adapter', name: 'policy-v2', path: '/elsewhere' })).rejects.toThrow(/already served/);
    await sampler.update({ kind: 'adapter', name: 'policy-v3', path: '/runs/x/adapters/3' });
    server.adapters.clear();
  });

  it('keeps a superseded adapter until its in-flight requests return', async () => {
    const slow = await startCompletionsServer({ latencyMs: 300 });
    try {
      const sampler = new CompletionsSampler({ baseUrl: slow.url, model: slow.model });
      await sampler.update({ kind: 'adapter', name: 'policy-v1', path: '/a/1' });
      const pending = sampler.sample([{ promptIds: [3], n: 1, maxTokens: 2, temperature: 1, seed: 2 }]);
      await new Promise((r) => setTimeout(r, 50)); // the request is on the server now
      await sampler.update({ kind: 'adapter', name: 'policy-v2', path: '/a/2' });
      expect([...slow.adapters.keys()].sort()).toEqual(['policy-v1', 'policy-v2']); // v1 still decoding
      const c = only(await pending);
      expect(c.logprobs[0]).toBeCloseTo(bigramLogprobs(3, saltOf('/a/1'), 1)[c.ids[0]!]!, 10); // sampled by v1
      await new Promise((r) => setTimeout(r, 50));
      expect([...slow.adapters.keys()]).toEqual(['policy-v2']);
      expect(slow.requests.at(-1)).toEqual({ path: '/v1/unload_lora_adapter', body: { lora_name: 'policy-v1' } });
    } finally {
      await slow.close();
    }
  });

  it('reports a failed load and keeps serving the old version', async () => {
    const sampler = new CompletionsSampler({ baseUrl: server.url, model: server.model });
    await sampler.update({ kind: 'adapter', name: 'keep-v1', path: '/k/1' });
    server.adapters.set('keep-v2', 1); // the name is taken on the server: vLLM answers 400
    await expect(sampler.update({ kind: 'adapter', name: 'keep-v2', path: '/k/2' })).rejects.toThrow(/load_lora_adapter 400.*already been loaded/);
    expect(sampler.servedModel).toBe('keep-v1');
    server.adapters.clear();
  });

  it('refuses full fine-tuning on vLLM, and reloads full weights on SGLang with /update_weights_from_disk', async () => {
    const vllm = new CompletionsSampler({ baseUrl: server.url, model: server.model });
    await expect(vllm.update({ kind: 'full', name: 'policy-v1', path: '/w/1/model' })).rejects.toThrow(/sampler.server 'vllm'.*sglang/);
    const sg = await startCompletionsServer({ server: 'sglang' });
    try {
      const sampler = new CompletionsSampler({ baseUrl: sg.url, model: sg.model, server: 'sglang' });
      await sampler.update({ kind: 'full', name: 'policy-v1', path: '/w/1/model' });
      expect(sg.requests.at(-1)).toEqual({ path: '/update_weights_from_disk', body: { model_path: '/w/1/model' } });
      expect(sampler.servedModel).toBe(sg.model); // same name, new weights
      const c = only(await sampler.sample([{ promptIds: [5], n: 1, maxTokens: 2, temperature: 1, seed: 4 }]));
      expect(c.logprobs[0]).toBeCloseTo(bigramLogprobs(5, saltOf('/w/1/model'), 1)[c.ids[0]!]!, 10);
      // SGLang's LoRA routes have no /v1 prefix.
      await sampler.update({ kind: 'adapter', name: 'policy-v2', path: '/a/2' });
      expect(sg.requests.at(-1)).toEqual({ path: '/load_lora_adapter', body: { lora_name: 'policy-v2', lora_path: '/a/2' } });
      await expect(sampler.update({ kind: 'full', name: 'policy-v3', path: '' })).rejects.toThrow(/update_weights_from_disk 400.*model_path is required/);
    } finally {
      await sg.close();
    }
  });

  it('reports server errors with their message', async () => {
    const sampler = new CompletionsSampler({ baseUrl: server.url, model: 'missing' });
    await expect(sampler.sample([{ promptIds: [1], n: 1, maxTokens: 2, temperature: 1 }])).rejects.toThrow(/404.*does not exist/);
  });
});
