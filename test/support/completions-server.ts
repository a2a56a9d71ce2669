/**
 * A local OpenAI-compatible /v1/completions server shaped like vLLM's (or SGLang's), for testing
 * the CompletionsSampler without a GPU: token-id prompts, `return_tokens_as_token_ids`,
 * `return_token_ids`, `stop_token_ids`, `n`, `seed`, and the weight-update endpoints with their
 * request and response shapes:
 *   vllm    POST /v1/load_lora_adapter {lora_name, lora_path} → 200 "Success: LoRA adapter '…' added successfully."
 *                (400 when the name is taken); POST /v1/unload_lora_adapter {lora_name} (404 when unknown)
 *   sglang  the same at /load_lora_adapter and /unload_lora_adapter, plus
 *           POST /update_weights_from_disk {model_path} → {success, message} (full weights in place)
 * Routes of the other server answer 404, as the real one would.
 *
 * Its "model" is a fixed bigram table: logits(next | last token, adapter) from a hash, so a test
 * can recompute the exact log-prob of every token it was given (`bigramLogprobs`). Its "tokenizer"
 * spells id N as `t<N>`, so a choice's `text` is `decodeIds(token ids)`, e.g. [5, 12] → "t5t12".
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const VOCAB = 64;

/** The stand-in tokenizer's decoding: each id N becomes `t<N>`, concatenated. */
export function decodeIds(ids: number[]): string {
  return ids.map((i) => `t${i}`).join('');
}

function hash(a: number, b: number, c: number): number {
  let h = (a * 73856093) ^ (b * 19349663) ^ (c * 83492791);
  h = Math.imul(h ^ (h >>> 13), 0x5bd1e995);
  return ((h ^ (h >>> 15)) >>> 0) / 2 ** 32;
}

/** The salt `bigramLogprobs` uses for weights (an adapter or a model) loaded from `path`. */
export function saltOf(path: string): number {
  let s = 7;
  for (const ch of path) s = (s * 31 + ch.charCodeAt(0)) >>> 0;
  return s % 100_000;
}

/** log softmax(logits / T) of the next token after `last`, under the base (salt 0) or an adapter. */
export function bigramLogprobs(last: number, salt: number, temperature: number): number[] {
  const logits = Array.from({ length: VOCAB }, (_, v) => 4 * hash(last, v, salt) / Math.max(temperature, 1e-6));
  const max = Math.max(...logits);
  const lse = max + Math.log(logits.reduce((s, x) => s + Math.exp(x - max), 0));
  return logits.map((x) => x - lse);
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

export interface CompletionsServer {
  url: string;
  model: string;
  /** Adapter name → its salt, as used by `bigramLogprobs`. */
  adapters: Map<string, number>;
  /** The base model's salt: 0, or that of the last path given to /update_weights_from_disk. */
  baseSalt(): number;
  requests: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

export interface CompletionsServerOptions {
  model?: string;
  server?: 'vllm' | 'sglang';
  /** Each completion waits this long before it answers (requests in flight across an update). */
  latencyMs?: number;
}


async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const parsed: unknown = JSON.parse(Buffer.concat(chunks).toString() || '{}');
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('body must be a JSON object');
  return parsed as Record<string, unknown>;
}

export async function startCompletionsServer(o: CompletionsServerOptions = {}): Promise<CompletionsServer> {
  const model = o.model ?? 'base-model';
  const kind = o.server ?? 'vllm';
  const prefix = kind === 'vllm' ? '/v1' : '';
  const adapters = new Map<string, number>();
  const requests: CompletionsServer['requests'] = [];
  let baseSalt = 0;

  function complete(b: Record<string, unknown>): [number, unknown] {
    const prompt = b.prompt;
    // Any id is a valid prompt token (the bigram hashes it); sampled ids are < VOCAB.
    if (!Array.isArray(prompt) || prompt.length === 0 || !prompt.every((x) => Number.isInteger(x) && x >= 0)) {
      return [400, { error: { message: 'prompt must be a non-empty array of token ids', type: 'BadRequestError' } }];
    }
    const name = String(b.model);
    if (name !== model && !adapters.has(name)) return [404, { error: { message: `The model \`${name}\` does not exist.`, type: 'NotFoundError' } }];
    const salt = name === model ? baseSalt : adapters.get(name)!;
    const n = Number(b.n ?? 1), maxTokens = Number(b.max_tokens ?? 16), temperature = Number(b.temperature ?? 1);
    const stop = new Set((b.stop_token_ids as number[] | undefined) ?? []);
    const draw = rng(Number(b.seed ?? Date.now()));
    const choices = Array.from({ length: n }, (_, index) => {
      const ids: number[] = [];
      const lps: number[] = [];
      let last = prompt[prompt.length - 1] as number;
      let finish = 'length';
      for (let t = 0; t < maxTokens; t++) {
        const lp = bigramLogprobs(last, salt, temperature);
        let u = draw(), tok = VOCAB - 1;
        for (let v = 0; v < VOCAB; v++) {
          u -= Math.exp(lp[v]!);
          if (u <= 0) { tok = v; break; }
        }
        ids.push(tok);
        lps.push(lp[tok]!);
        last = tok;
        if (stop.has(tok)) { finish = 'stop'; break; }
      }
      return {
        index,
        text: decodeIds(ids),
        finish_reason: finish,
        ...(b.return_token_ids ? { token_ids: ids, prompt_token_ids: prompt } : {}),
        logprobs: { tokens: ids.map((i) => (b.return_tokens_as_token_ids ? `token_id:${i}` : `<${i}>`)), token_logprobs: lps, top_logprobs: null, text_offset: [] },
      };
    });
    const completionTokens = choices.reduce((a, c) => a + c.logprobs.tokens.length, 0);
    return [200, { id: 'cmpl-test', object: 'text_completion', created: Math.floor(Date.now() / 1000), model: name, choices, usage: { prompt_tokens: prompt.length, completion_tokens: completionTokens, total_tokens: prompt.length + completionTokens } }];
  }

  const server: Server = createServer((req, res) => {
    void (async () => {
      let status = 404;
      let out: unknown = { error: { message: `no route ${req.method} ${req.url}` } };
      try {
        const b = await body(req);
        requests.push({ path: req.url ?? '', body: b });
        if (req.url === '/v1/completions') {
          if (o.latencyMs) await new Promise((r) => setTimeout(r, o.latencyMs));
          [status, out] = complete(b);
        } else if (req.url === `${prefix}/load_lora_adapter`) {
          const name = String(b.lora_name);
          if (adapters.has(name)) [status, out] = [400, { error: { message: `The lora adapter '${name}' has already been loaded.` } }];
          else { adapters.set(name, saltOf(String(b.lora_path))); [status, out] = [200, `Success: LoRA adapter '${name}' added successfully.`]; }
        } else if (req.url === `${prefix}/unload_lora_adapter`) {
          const name = String(b.lora_name);
          if (!adapters.delete(name)) [status, out] = [404, { error: { message: `The lora adapter '${name}' cannot be found.` } }];
          else [status, out] = [200, `Success: LoRA adapter '${name}' removed successfully.`];
        } else if (kind === 'sglang' && req.url === '/update_weights_from_disk') {
          if (typeof b.model_path !== 'string' || !b.model_path) [status, out] = [400, { success: false, message: 'model_path is required' }];
          else {
            baseSalt = saltOf(b.model_path);
            [status, out] = [200, { success: true, message: 'Succeeded to update model weights.' }];
          }
        }
      } catch (e) {
        [status, out] = [400, { error: { message: e instanceof Error ? e.message : String(e) } }];
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out));
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    model,
    adapters,
    baseSalt: () => baseSalt,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
