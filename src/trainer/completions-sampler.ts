/**
 * Sampler backend for every OpenAI-compatible *completions* server that accepts token-id prompts and
 * returns token ids and log-probs (vLLM, SGLang). Request fields used:
 *   prompt: number[]  ·  logprobs: 0  ·  return_tokens_as_token_ids: true  ·  return_token_ids: true
 *   stop_token_ids  ·  include_stop_str_in_output: true  ·  skip_special_tokens: false
 * Ids come from `choice.token_ids` when present, else from `logprobs.tokens` ("token_id:N");
 * `text` is `choice.text`.
 *
 * New weights after an update (docs/scale.md):
 * - LoRA: the adapter is loaded under a new, versioned name (`policy-v3`), later requests name it
 *   as their model, and the previous adapter is unloaded once no request naming it is in flight
 *   (with asynchronous rollouts, requests of the old version may still be decoding). vLLM:
 *   POST /v1/load_lora_adapter, /v1/unload_lora_adapter (VLLM_ALLOW_RUNTIME_LORA_UPDATING=True);
 *   SGLang: the same bodies at /load_lora_adapter, /unload_lora_adapter.
 * - Full fine-tuning: SGLang reloads a Hugging Face directory in place with its documented
 *   POST /update_weights_from_disk {model_path} → {success, message}. vLLM documents no HTTP call
 *   that loads weights from a new path (its dev-mode /collective_rpc "reload_weights" re-reads the
 *   directory it started with), so full fine-tuning with `server: 'vllm'` is refused.
 */
import { z } from 'zod';
import type { PolicyWeights, SampleRequest, SampledCompletion, Sampler } from './sampler.ts';

const Choice = z.object({
  index: z.number().int(),
  finish_reason: z.string().nullable(),
  /** The completion decoded by the server (special tokens kept: skip_special_tokens is false). */
  text: z.string(),
  token_ids: z.array(z.number().int()).nullable().optional(),
  logprobs: z.object({ tokens: z.array(z.string()), token_logprobs: z.array(z.number().nullable()) }),
});
const CompletionResponse = z.object({ choices: z.array(Choice) });
const UpdateWeightsResponse = z.object({ success: z.boolean(), message: z.string() });

export type CompletionsServerKind = 'vllm' | 'sglang';

const ROUTES: Record<CompletionsServerKind, { load: string; unload: string; reload: string | null }> = {
  vllm: { load: '/v1/load_lora_adapter', unload: '/v1/unload_lora_adapter', reload: null },
  sglang: { load: '/load_lora_adapter', unload: '/unload_lora_adapter', reload: '/update_weights_from_disk' },
};

export interface CompletionsSamplerOptions {
  baseUrl: string;
  /** The base model's served name; replaced by the adapter's name after a LoRA update. */
  model: string;
  /** Which server's weight-update endpoints to call (sampling is the same for both). */
  server?: CompletionsServerKind;
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
  private readonly server: CompletionsServerKind;
  /** Requests in flight per model name: an adapter is unloaded only when none names it. */
  private readonly inflight = new Map<string, number>();
  /** Superseded adapters waiting for their last request to finish. */
  private readonly retiring = new Set<string>();
  /** A deferred unload that failed: reported by the next update(). */
  private unloadError: Error | undefined;
  private unloads: Promise<void>[] = [];

  constructor(private readonly opts: CompletionsSamplerOptions) {
    this.model = opts.model;
    this.server = opts.server ?? 'vllm';
  }

  get servedModel(): string {
    return this.model;
  }

  private async post(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.opts.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.opts.apiKey ? { authorization: `Bearer ${this.opts.apiKey}` } : {}) },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(this.opts.timeoutMs ?? 300_000),
    });
  }

  private async one(r: SampleRequest): Promise<SampledCompletion[]> {
    const model = this.model;
    this.inflight.set(model, (this.inflight.get(model) ?? 0) + 1);
    try {
      return await this.complete(model, r);
    } finally {
      const left = (this.inflight.get(model) ?? 1) - 1;
      if (left > 0) this.inflight.set(model, left);
      else {
        this.inflight.delete(model);
        if (this.retiring.has(model)) this.unloads.push(this.unload(model));
      }
    }
  }

  private async complete(model: string, r: SampleRequest): Promise<SampledCompletion[]> {
    const res = await this.post('/v1/completions', {
      model,
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

  /**
   * Serves new weights. An adapter is loaded under its own name before anything else changes, so
   * a failed load leaves the old version serving; the superseded adapter is then unloaded (now, or
   * when its last in-flight request returns).
   */
  async update(w: PolicyWeights): Promise<void> {
    await Promise.all(this.unloads.splice(0));
    this.throwUnloadError();
    const routes = ROUTES[this.server];
    if (w.kind === 'full') {
      if (!routes.reload) throw new Error(`full fine-tuning needs a server that reloads weights from a path: sampler.server '${this.server}' has no such endpoint (use 'sglang', or LoRA: model.lora)`);
      const res = await this.post(routes.reload, { model_path: w.path });
      const text = await res.text();
      const body = UpdateWeightsResponse.safeParse(JSON.parse(text || 'null'));
      if (!res.ok || !body.success || !body.data.success) throw new Error(`${routes.reload} ${res.status}: ${text.slice(0, 500)}`);
      return;
    }
    if (w.name === this.opts.model || w.name === this.model) throw new Error(`adapter name '${w.name}' is already served: each version needs its own name`);
    const res = await this.post(routes.load, { lora_name: w.name, lora_path: w.path });
    if (!res.ok) throw new Error(`${routes.load} ${res.status}: ${(await res.text()).slice(0, 500)}`);
    const previous = this.model;
    this.model = w.name;
    if (previous === this.opts.model) return; // the base model stays loaded
    this.retiring.add(previous);
    if (!this.inflight.has(previous)) await this.unload(previous);
    this.throwUnloadError();
  }

  private throwUnloadError(): void {
    const e = this.unloadError;
    this.unloadError = undefined;
    if (e) throw e;
  }

  private async unload(name: string): Promise<void> {
    this.retiring.delete(name);
    const route = ROUTES[this.server].unload;
    try {
      const res = await this.post(route, { lora_name: name });
      if (!res.ok) throw new Error(`${route} '${name}' ${res.status}: ${(await res.text()).slice(0, 500)}`);
    } catch (e) {
      this.unloadError ??= e instanceof Error ? e : new Error(String(e));
    }
  }
}
