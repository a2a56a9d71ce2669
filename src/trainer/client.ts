/** Typed HTTP client of the trainer service. Responses are validated with zod. */
import { z } from 'zod';
import {
  CacheClearResponse,
  CheckpointResponse,
  DecodeResponse,
  ErrorBody,
  ExportResponse,
  ForwardResponse,
  MetricsResponse,
  Rendered,
  SampleResponse,
  SessionInfo,
  TokenizerInfo,
} from './schemas.ts';
import type { Datum, LossConfig, RenderParams, SampleParams, SessionConfig, TrainTokenizerParams } from './types.ts';

/** A request the service answered with an error status (4xx: our request was wrong). */
export class TrainerError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
  ) {
    super(`trainer service ${status} ${type}: ${message}`);
  }
}

export interface ClientOptions {
  baseUrl: string;
  token: string;
  /** Per request; training steps on CPU can take a while. */
  timeoutMs?: number;
  /** Retries when the connection fails (service restarting, transient reset). */
  retries?: number;
  retryDelayMs?: number;
}

const REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);
const RESET = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

function errorCode(e: unknown): string | undefined {
  for (let cur: unknown = e, depth = 0; cur instanceof Error && depth < 4; cur = cur.cause, depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

export class TrainerClient {
  private readonly timeoutMs: number;
  private readonly retries: number;
  private readonly retryDelayMs: number;

  constructor(private readonly opts: ClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 600_000;
    this.retries = opts.retries ?? 3;
    this.retryDelayMs = opts.retryDelayMs ?? 250;
  }

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  /**
   * POST with retries on connection loss. A refused connection never reached the service, so it
   * is always safe to retry; a reset mid-request is retried only for `idempotent` calls (a
   * forward_backward or optim_step could otherwise be applied twice).
   */
  async request<S extends z.ZodType>(method: 'GET' | 'POST' | 'DELETE', path: string, body: unknown, schema: S, idempotent: boolean): Promise<z.infer<S>> {
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(`${this.opts.baseUrl}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.opts.token}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (e) {
        const code = errorCode(e);
        const retriable = code !== undefined && (REFUSED.has(code) || (idempotent && RESET.has(code)));
        if (!retriable || attempt >= this.retries) throw new Error(`trainer service ${path}: ${code ?? String(e)}`, { cause: e });
        await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** attempt));
        continue;
      }
      const json: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const err = ErrorBody.safeParse(json);
        throw err.success
          ? new TrainerError(res.status, err.data.error.type, err.data.error.message)
          : new TrainerError(res.status, 'unknown', JSON.stringify(json));
      }
      return schema.parse(json);
    }
  }

  /** Trains a tokenizer on our own texts (deterministic: the same input gives the same sha256). */
  trainTokenizer(p: TrainTokenizerParams): Promise<TokenizerInfo> {
    return this.request('POST', '/v1/tokenizers', p, TokenizerInfo, true);
  }

  createSession(cfg: SessionConfig): Promise<SessionInfo> {
    return this.request('POST', '/v1/sessions', cfg, SessionInfo, false);
  }

  render(sid: string, p: RenderParams): Promise<Rendered> {
    return this.request('POST', `/v1/sessions/${sid}/render`, p, Rendered, true);
  }

  /** Many renders in one request (e.g. a corpus of demonstrations). */
  async renderBatch(sid: string, items: RenderParams[]): Promise<Rendered[]> {
    return (await this.request('POST', `/v1/sessions/${sid}/render_batch`, { items }, z.object({ items: z.array(Rendered) }), true)).items;
  }

  sample(sid: string, prompts: number[][], p: SampleParams = {}): Promise<z.infer<typeof SampleResponse>> {
    return this.request('POST', `/v1/sessions/${sid}/sample`, { prompts, ...p }, SampleResponse, p.seed !== undefined || p.seeds !== undefined);
  }

  /** Token ids → text with special tokens kept; `perToken` adds one string per id (for viewers). */
  decode(sid: string, ids: number[][], perToken = false): Promise<DecodeResponse> {
    return this.request('POST', `/v1/sessions/${sid}/decode`, { ids, per_token: perToken }, DecodeResponse, true);
  }

  /** Empties the session's sampling prefix KV cache (optim_step and load already do). */
  clearCache(sid: string): Promise<CacheClearResponse> {
    return this.request('POST', `/v1/sessions/${sid}/cache/clear`, undefined, CacheClearResponse, true);
  }

  forward(sid: string, data: Datum[], opts: { temperature?: number; values?: boolean; reference?: boolean } = {}): Promise<ForwardResponse> {
    return this.request('POST', `/v1/sessions/${sid}/forward`, { data, ...opts }, ForwardResponse, true);
  }

  forwardBackward(sid: string, data: Datum[], loss: LossConfig = {}, temperature = 1): Promise<z.infer<typeof MetricsResponse>> {
    return this.request('POST', `/v1/sessions/${sid}/forward_backward`, { data, loss, temperature }, MetricsResponse, false);
  }

  optimStep(sid: string, lr?: number): Promise<z.infer<typeof MetricsResponse>> {
    return this.request('POST', `/v1/sessions/${sid}/optim_step`, lr === undefined ? {} : { lr }, MetricsResponse, false);
  }

  save(sid: string, path: string, optimizer = true): Promise<CheckpointResponse> {
    return this.request('POST', `/v1/sessions/${sid}/save`, { path, optimizer }, CheckpointResponse, true);
  }

  load(sid: string, path: string, optimizer = true): Promise<CheckpointResponse> {
    return this.request('POST', `/v1/sessions/${sid}/load`, { path, optimizer }, CheckpointResponse, true);
  }

  /** Writes the session's tokenizer.json to `path` (for viewers that show token ids as text). */
  async exportTokenizer(sid: string, path: string): Promise<void> {
    await this.request('POST', `/v1/sessions/${sid}/export_tokenizer`, { path }, z.object({ path: z.string() }), true);
  }

  exportAdapter(sid: string, path: string): Promise<z.infer<typeof ExportResponse>> {
    return this.request('POST', `/v1/sessions/${sid}/export_adapter`, { path }, ExportResponse, true);
  }

  async deleteSession(sid: string): Promise<void> {
    await this.request('DELETE', `/v1/sessions/${sid}`, undefined, z.object({ deleted: z.boolean() }), true);
  }

  /** Base URL of the OpenAI-compatible facade; `model` is `session:<id>` or `trained:<checkpoint dir>`. */
  get openaiBaseUrl(): string {
    return `${this.opts.baseUrl}/v1`;
  }
}
