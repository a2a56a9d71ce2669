import type OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import type { ChatMessage } from '../chat/messages.ts';
import { wireMessages, type AudioInput, type WireMessage } from '../voice/wire.ts';
import type { ToolDefinition } from '../sandbox/tool-schema.ts';
import { backoffDelay, DEFAULT_RETRY, retryAfterMs, sleep, type RetryPolicy } from './backoff.ts';
import { cacheKey, ResponseCache } from './cache.ts';
import { BadCompletionError, parseCompletion, type ChatResult } from './completion.ts';
import { LlmConfigError, LlmRequestError, LlmRetryBudgetError, type AttemptFailure } from './errors.ts';
import { limiterFor, type EndpointLimiter, type EndpointLimits } from './limiter.ts';
import { endpointLabel, Redactor } from './redact.ts';

export type { ChatResult } from './completion.ts';

/** Sampling parameters; each maps to one request field. */
export interface Sampling {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  seed?: number;
  /** Ask for per-token log-probs (`logprobs: true`). */
  logprobs?: boolean;
  topLogprobs?: number;
  /** Ask for completion token ids (`return_token_ids: true`, vLLM's and our trainer facade's extension). */
  tokenIds?: boolean;
  /** Server-specific fields merged into the request body (e.g. `chat_template_kwargs`). */
  extraBody?: Readonly<Record<string, unknown>>;
}

export interface ChatClientConfig {
  model: string;
  baseUrl: string;
  /** Name of the environment variable holding the key; none means no key (local servers). */
  apiKeyEnv?: string;
  /** Where the key variable is read from (default `process.env`). */
  env?: Readonly<Record<string, string | undefined>>;
  sampling?: Sampling;
  retry?: Partial<RetryPolicy>;
  /** Per-attempt timeout. */
  timeoutMs?: number;
  limits?: EndpointLimits;
  /** Directory of the opt-in response cache. */
  cacheDir?: string;
  /** Source of backoff jitter (tests pass a fixed one). */
  random?: () => number;
}

export interface ChatRequest {
  messages: readonly ChatMessage[];
  /** Spoken user turns (messages with `audio`) are sent as `input_audio` parts read from here. */
  audio?: AudioInput;
  tools?: readonly ToolDefinition[];
  toolChoice?: 'auto' | 'none' | 'required';
  stop?: readonly string[];
  /** Overrides the client's sampling for this call. */
  sampling?: Sampling;
}

export interface ChatCallOptions {
  /** Trial index: part of the cache key so k trials at temperature > 0 stay k samples. */
  trial?: number;
  /**
   * What else makes this call a distinct sample (e.g. the task id): two episodes whose requests
   * happen to be identical still get independent samples at temperature > 0.
   */
  scope?: string;
  signal?: AbortSignal;
}

const NO_KEY = 'no-key';

/**
 * The SDK, imported at the first request rather than with this module: loading it takes about
 * 100 ms, which every command that imports a client but calls no model would pay at startup.
 */
let sdk: Promise<typeof OpenAI> | undefined;
function openaiSdk(): Promise<typeof OpenAI> {
  sdk ??= import('openai').then((m) => m.default);
  return sdk;
}

/**
 * An OpenAI-compatible chat client (OpenAI, vLLM, SGLang, Ollama, llama.cpp, our trainer
 * facade) on the official SDK with the SDK's retries off and ours on: jittered exponential
 * backoff on 429 (Retry-After honoured), 5xx, timeouts, dropped connections and unusable 200s,
 * bounded by attempts and wall time; a per-endpoint limiter shared process-wide; an opt-in
 * response cache keyed by request and trial. The API key lives only in private fields (the SDK
 * instance, and until the first request the function that makes it), so it is not serialised,
 * and it is redacted from every error message.
 */
export class ChatClient {
  readonly model: string;
  readonly endpoint: string;
  readonly sampling: Sampling;
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  /** Makes the SDK client, whose private field then holds the key, at the first request. */
  readonly #connect: () => Promise<OpenAI>;
  #openai: Promise<OpenAI> | undefined;
  readonly #redactor: Redactor;
  readonly #limiter: EndpointLimiter;
  readonly #cache: ResponseCache | undefined;
  readonly #random: () => number;

  constructor(config: ChatClientConfig) {
    this.model = config.model;
    this.endpoint = endpointLabel(config.baseUrl);
    this.sampling = config.sampling ?? {};
    this.retry = { ...DEFAULT_RETRY, ...config.retry };
    this.timeoutMs = config.timeoutMs ?? 60_000;
    const key = readKey(config.apiKeyEnv, config.env ?? process.env, this.endpoint);
    this.#redactor = new Redactor(key === NO_KEY ? [] : [key]);
    this.#connect = async () => new (await openaiSdk())({ apiKey: key, baseURL: config.baseUrl, maxRetries: 0, timeout: this.timeoutMs, organization: null, project: null });
    this.#limiter = limiterFor(this.endpoint, config.limits ?? {});
    this.#cache = config.cacheDir ? new ResponseCache(config.cacheDir) : undefined;
    this.#random = config.random ?? Math.random;
  }

  /** The request body this client sends for `req` (what the cache key covers). */
  body(req: ChatRequest): Record<string, unknown> {
    const s = { ...this.sampling, ...req.sampling };
    const messages: readonly (ChatMessage | WireMessage)[] = wireMessages(req.messages, req.audio);
    const body: Record<string, unknown> = { model: this.model, messages };
    if (req.tools && req.tools.length > 0) body.tools = req.tools;
    if (req.toolChoice) body.tool_choice = req.toolChoice;
    if (req.stop && req.stop.length > 0) body.stop = req.stop;
    if (s.temperature !== undefined) body.temperature = s.temperature;
    if (s.topP !== undefined) body.top_p = s.topP;
    if (s.maxTokens !== undefined) body.max_tokens = s.maxTokens;
    if (s.seed !== undefined) body.seed = s.seed;
    if (s.logprobs) body.logprobs = true;
    if (s.logprobs && s.topLogprobs !== undefined) body.top_logprobs = s.topLogprobs;
    if (s.tokenIds) body.return_token_ids = true;
    return { ...body, ...s.extraBody };
  }

  async chat(req: ChatRequest, opts: ChatCallOptions = {}): Promise<ChatResult> {
    const body = this.body(req);
    const key = this.#cache ? cacheKey({ endpoint: this.endpoint, body, trial: opts.trial ?? 0, scope: opts.scope ?? '' }) : undefined;
    if (this.#cache && key) {
      const hit = await this.#cache.get(key);
      if (hit) {
        try {
          return parseCompletion(hit, this.model, true, 0);
        } catch (e) {
          // An entry we cannot use is a miss; the fresh response overwrites it.
          if (!(e instanceof BadCompletionError)) throw e;
        }
      }
    }
    const { raw, result } = await this.send(body, opts.signal);
    if (this.#cache && key) await this.#cache.put(key, raw);
    return result;
  }

  private async send(body: Record<string, unknown>, signal?: AbortSignal): Promise<{ raw: Record<string, unknown>; result: ChatResult }> {
    const started = Date.now();
    const failures: AttemptFailure[] = [];
    const openai = await (this.#openai ??= this.#connect());
    for (let attempt = 1; ; attempt++) {
      let waitMs: number | undefined;
      const release = await this.#limiter.acquire(signal);
      const attemptSignal = followSignal(signal);
      try {
        const remaining = Math.max(1, this.retry.maxElapsedMs - (Date.now() - started));
        const params = body as unknown as ChatCompletionCreateParamsNonStreaming;
        const response: unknown = await openai.chat.completions.create(params, { timeout: Math.min(this.timeoutMs, remaining), maxRetries: 0, signal: attemptSignal.signal });
        const raw = response as Record<string, unknown>;
        return { raw, result: parseCompletion(raw, this.model, false, attempt) };
      } catch (e) {
        if (signal?.aborted) throw signal.reason;
        const f = this.classify(e, await openaiSdk());
        failures.push(f.failure);
        waitMs = f.retryAfterMs;
      } finally {
        attemptSignal.dispose();
        release();
      }
      const elapsed = Date.now() - started;
      if (attempt >= this.retry.maxAttempts) throw this.exhausted(attempt, elapsed, failures, 'attempt budget exhausted');
      const delay = waitMs ?? backoffDelay(attempt - 1, this.retry, this.#random);
      if (elapsed + delay > this.retry.maxElapsedMs) {
        throw this.exhausted(attempt, elapsed, failures, `time budget of ${this.retry.maxElapsedMs} ms exhausted (next wait ${Math.round(delay)} ms)`);
      }
      await sleep(delay, signal);
    }
  }

  /** Sorts an SDK failure into a retryable kind, or throws at once when retrying cannot help. */
  private classify(e: unknown, Sdk: typeof OpenAI): { failure: AttemptFailure; retryAfterMs?: number } {
    const msg = (x: unknown): string => this.#redactor.redact(x instanceof Error ? x.message : String(x));
    if (e instanceof BadCompletionError) return { failure: { kind: 'bad_response', message: msg(e) } };
    if (e instanceof Sdk.APIConnectionTimeoutError) return { failure: { kind: 'timeout', message: `no response within ${this.timeoutMs} ms` } };
    if (e instanceof Sdk.APIConnectionError) return { failure: { kind: 'connection', message: msg(e.cause ?? e) } };
    if (e instanceof Sdk.APIError && e.status !== undefined) {
      const status = e.status;
      if (status === 429) {
        const wait = retryAfterMs(e.headers);
        const failure: AttemptFailure = { kind: 'rate_limited', status, message: msg(e) };
        return wait === undefined ? { failure } : { failure, retryAfterMs: wait };
      }
      if (status >= 500 || status === 408 || status === 409) {
        const wait = status === 503 ? retryAfterMs(e.headers) : undefined;
        const failure: AttemptFailure = { kind: 'server_error', status, message: msg(e) };
        return wait === undefined ? { failure } : { failure, retryAfterMs: wait };
      }
      throw new LlmRequestError(this.endpoint, this.model, status, msg(e));
    }
    throw new LlmRequestError(this.endpoint, this.model, undefined, msg(e));
  }

  private exhausted(attempts: number, elapsed: number, failures: AttemptFailure[], reason: string): LlmRetryBudgetError {
    return new LlmRetryBudgetError(this.endpoint, this.model, attempts, elapsed, failures, reason);
  }

  /** What may be recorded about this client (run.json provenance): no key, no key name's value. */
  describe(): { model: string; endpoint: string; sampling: Sampling } {
    return { model: this.model, endpoint: this.endpoint, sampling: this.sampling };
  }
}

function readKey(envName: string | undefined, env: Readonly<Record<string, string | undefined>>, endpoint: string): string {
  if (envName === undefined) return NO_KEY;
  const v = env[envName];
  if (v === undefined || v.trim() === '') throw new LlmConfigError(`environment variable ${envName} is not set; it should hold the API key for ${endpoint}`);
  return v.trim();
}

/**
 * A signal for one request that aborts when `parent` does. The OpenAI SDK adds an abort listener
 * to the signal it is given and never removes it, so handing it the run's signal (shared by every
 * call of a run) piled one listener per request onto it — Node's MaxListenersExceededWarning on
 * every eval against a model. The SDK's listener now lands on this short-lived signal, and ours on
 * the parent is removed when the request ends.
 */
function followSignal(parent: AbortSignal | undefined): { signal: AbortSignal | null; dispose: () => void } {
  if (!parent) return { signal: null, dispose: () => {} };
  const child = new AbortController();
  if (parent.aborted) child.abort(parent.reason);
  const forward = (): void => child.abort(parent.reason);
  parent.addEventListener('abort', forward, { once: true });
  return { signal: child.signal, dispose: () => parent.removeEventListener('abort', forward) };
}
