/**
 * Sampler backend for every OpenAI-compatible *completions* server that accepts token-id prompts and
 * returns token ids and log-probs (vLLM, SGLang). Request fields used:
 *   prompt: number[]  ·  logprobs: 0  ·  return_tokens_as_token_ids: true  ·  return_token_ids: true
 *   stop_token_ids  ·  include_stop_str_in_output: true  ·  skip_special_tokens: false
 * Ids come from `choice.token_ids` when present, else from `logprobs.tokens` ("token_id:N");
 * `text` is `choice.text`.
 * After an update the LoRA adapter is hot-loaded with vLLM's /v1/load_lora_adapter and later
 * requests name it as their model.
 */
import { z } from 'zod';
import type { SampleRequest, SampledCompletion, Sampler } from './sampler.ts';

const Choice = z.object({
  index: z.number().int(),
  finish_reason: z.string().nullable(),
  /** The completion decoded by the server (special tokens kept: skip_special_tokens is false). */
  text: z.string(),
  token_ids: z.array(z.number().int()).nullable().optional(),
  logprobs: z.object({ tokens: z.array(z.string()), token_logprobs: z.array(z.number().nullable()) }),
});
const CompletionResponse = z.object({ choices: z.array(Choice) });

export interface CompletionsSamplerOptions {
  baseUrl: string;
  /** The base model's served name; replaced by the adapter name after update(). */
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

function idOf(token: string): number {
  const m = /^token_id:(\d+)$/.exec(token);
  if (!m) throw new Error(`completions server returned token '${token}' (expected 'token_id:N'; is return_tokens_as_token_ids supported?)`);
  return Number(m[1]);
}

export class CompletionsSampler implements Sampler {
  private model: string;

  constructor(private readonly opts: CompletionsSamplerOptions) {
    this.model = opts.model;
  }

  get servedModel(): string {
    return this.model;
  }

  private async post(path: string, body: unknown): Promise<Response> {
    const res = await fetch(`${this.opts.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 300_000),
    });
    return res;
  }

  private async one(r: SampleRequest): Promise<SampledCompletion[]> {
    const res = await this.post('/v1/completions', {
      model: this.model,
      prompt: r.promptIds,
      n: r.n,
      max_tokens: r.maxTokens,
      temperature: r.temperature,
      top_p: r.topP ?? 1,
      logprobs: 0,
      return_tokens_as_token_ids: true,
      return_token_ids: true,
      stop_token_ids: r.stopTokenIds ?? [],
      include_stop_str_in_output: true,
      skip_special_tokens: false,
      ...(r.seed !== undefined ? { seed: r.seed } : {}),
    });
    if (!res.ok) throw new Error(`completions server ${res.status}: ${(await res.text()).slice(0, 500)}`);
    const body = CompletionResponse.parse(await res.json());
    const out: SampledCompletion[] = [];
    for (const c of [...body.choices].sort((a, b) => a.index - b.index)) {
      const ids = c.token_ids ?? c.logprobs.tokens.map(idOf);
      const logprobs = c.logprobs.token_logprobs.map((x, i) => {
        if (x === null) throw new Error(`completions server gave no log-prob for completion token ${i}`);
        return x;
      });
      if (ids.length !== logprobs.length) throw new Error(`completions server: ${ids.length} ids but ${logprobs.length} log-probs`);
      const stopped = ids.length > 0 && (r.stopTokenIds ?? []).includes(ids[ids.length - 1]!);
      out.push({ ids, logprobs, finishReason: c.finish_reason === 'length' && !stopped ? 'length' : 'stop', text: c.text });
    }
    return out;
  }

  sample(requests: SampleRequest[]): Promise<SampledCompletion[][]> {
    // Token-id prompts carry no audio: a speech rollout needs the trainer service as its sampler.
    if (requests.some((r) => r.audio?.length)) return Promise.reject(new Error('the completions sampler takes token ids only: speech rollouts need sampler.kind "service"'));
    return Promise.all(requests.map((r) => this.one(r)));
  }

  /** Hot-loads a PEFT adapter directory (unloading a previous adapter of the same name first). */
  async update(checkpoint: { path: string; name: string }): Promise<void> {
    const unload = await this.post('/v1/unload_lora_adapter', { lora_name: checkpoint.name });
    if (!unload.ok && unload.status !== 404 && unload.status !== 400) {
      throw new Error(`unload_lora_adapter ${unload.status}: ${await unload.text()}`);
    }
    const res = await this.post('/v1/load_lora_adapter', { lora_name: checkpoint.name, lora_path: checkpoint.path });
    if (!res.ok) throw new Error(`load_lora_adapter ${res.status}: ${await res.text()}`);
    this.model = checkpoint.name;
  }
}
