import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A local OpenAI-compatible server for tests (`POST /v1/chat/completions` on 127.0.0.1, random
 * port). It answers from a script — a list of replies consumed in order, or a function of the
 * request — and records every request's body and headers. Production clients run against it
 * unchanged. When the script runs out it answers 500 `script exhausted`, which tests can see.
 */

export interface ScriptedToolCall {
  name: string;
  /** Sent verbatim: pass malformed JSON text to test parsers. */
  arguments: string;
  id?: string;
}

export type Reply =
  | {
      kind: 'message';
      content?: string | null;
      toolCalls?: ScriptedToolCall[];
      /** Per-token log-probs (OpenAI's `logprobs.content`). */
      logprobs?: { token: string; logprob: number }[];
      /** Non-standard completion token ids (`choices[0].token_ids`, as vLLM / the trainer facade). */
      tokenIds?: number[];
      promptTokenIds?: number[];
      usage?: { prompt_tokens: number; completion_tokens: number };
      finishReason?: string;
    }
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Any JSON body with status 200 (e.g. `{choices: []}`). */
  | { kind: 'raw'; body: unknown }
  /** Wait, then answer (or hang past the client's timeout). */
  | { kind: 'delay'; ms: number; then: Reply }
  /** Destroy the socket without answering. */
  | { kind: 'drop' };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (or the raw text when it is not JSON). */
  body: unknown;
  /** `Date.now()` when the body had arrived. */
  receivedAt: number;
}

export type ScriptFn = (req: RecordedRequest, index: number) => Reply;
export type Script = Reply[] | ScriptFn;

export const text = (content: string, extra: Partial<Extract<Reply, { kind: 'message' }>> = {}): Reply => ({ kind: 'message', content, ...extra });
export const toolCalls = (calls: ScriptedToolCall[], content: string | null = null): Reply => ({ kind: 'message', content, toolCalls: calls });
export const toolCall = (name: string, args: unknown, id?: string): Reply =>
  toolCalls([{ name, arguments: typeof args === 'string' ? args : JSON.stringify(args), ...(id ? { id } : {}) }]);
export const rateLimited = (retryAfterSeconds?: number): Reply => ({
  kind: 'status',
  status: 429,
  body: { error: { message: 'Rate limit reached', type: 'rate_limit_error' } },
  ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
});
export const serverError = (status = 500): Reply => ({ kind: 'status', status, body: { error: { message: 'internal error', type: 'server_error' } } });
export const delay = (ms: number, then: Reply): Reply => ({ kind: 'delay', ms, then });
export const drop = (): Reply => ({ kind: 'drop' });
export const emptyChoices = (): Reply => ({ kind: 'raw', body: { id: 'cmpl-empty', object: 'chat.completion', model: 'scripted', choices: [] } });

export class ScriptedLlmServer {
  readonly requests: RecordedRequest[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private served = 0;

  private constructor(
    private readonly server: Server,
    readonly port: number,
    private script: Script,
  ) {}

  /** Starts on 127.0.0.1 with an OS-assigned port. */
  static async start(script: Script = []): Promise<ScriptedLlmServer> {
    // The request handler needs the instance, which needs the listening server's port.
    const ref: { self?: ScriptedLlmServer } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => ref.self?.handle(req.method ?? 'GET', req.url ?? '/', req.headers, Buffer.concat(chunks).toString('utf8'), res));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const self = new ScriptedLlmServer(server, (server.address() as AddressInfo).port, script);
    ref.self = self;
    server.on('connection', (s) => {
      self.sockets.add(s);
      s.on('close', () => self.sockets.delete(s));
    });
    return self;
  }

  /** The base URL clients take (`http://127.0.0.1:PORT/v1`). */
  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Replaces the script (and restarts its count). */
  setScript(script: Script): void {
    this.script = script;
    this.served = 0;
  }

  /** Bodies of the chat-completion requests, in arrival order. */
  get bodies(): Record<string, unknown>[] {
    return this.requests.filter((r) => r.path.endsWith('/chat/completions')).map((r) => r.body as Record<string, unknown>);
  }

  private handle(method: string, path: string, headers: IncomingHttpHeaders, rawBody: string, res: ServerResponse): void {
    let body: unknown = rawBody;
    try {
      body = JSON.parse(rawBody);
    } catch {
      // Kept as text: a test may want to see what a broken client sent.
    }
    const recorded: RecordedRequest = { method, path, headers, body, receivedAt: Date.now() };
    this.requests.push(recorded);
    if (method !== 'POST' || !path.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: `no route ${method} ${path}` } }));
      return;
    }
    const index = this.served++;
    let reply: Reply | undefined;
    if (typeof this.script === 'function') reply = this.script(recorded, index);
    else reply = this.script[index];
    this.send(reply ?? { kind: 'status', status: 500, body: { error: { message: 'script exhausted' } } }, body, res);
  }

  private send(reply: Reply, reqBody: unknown, res: ServerResponse): void {
    switch (reply.kind) {
      case 'drop':
        res.socket?.destroy();
        return;
      case 'delay': {
        const t = setTimeout(() => {
          this.timers.delete(t);
          if (!res.socket?.destroyed) this.send(reply.then, reqBody, res);
        }, reply.ms);
        this.timers.add(t);
        return;
      }
      case 'status':
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body ?? { error: { message: `status ${reply.status}` } }));
        return;
      case 'raw':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(reply.body));
        return;
      case 'message':
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completionBody(reply, reqBody)));
    }
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function completionBody(reply: Extract<Reply, { kind: 'message' }>, reqBody: unknown): Record<string, unknown> {
  const model = typeof reqBody === 'object' && reqBody !== null && 'model' in reqBody ? String((reqBody as { model: unknown }).model) : 'scripted';
  const tool_calls = reply.toolCalls?.map((c, i) => ({ id: c.id ?? `call_${i}`, type: 'function', function: { name: c.name, arguments: c.arguments } }));
  const message: Record<string, unknown> = { role: 'assistant', content: reply.content ?? null };
  if (tool_calls && tool_calls.length > 0) message.tool_calls = tool_calls;
  const choice: Record<string, unknown> = {
    index: 0,
    message,
    finish_reason: reply.finishReason ?? (tool_calls ? 'tool_calls' : 'stop'),
    logprobs: reply.logprobs ? { content: reply.logprobs.map((l) => ({ token: l.token, logprob: l.logprob, top_logprobs: [] })) } : null,
  };
  if (reply.tokenIds) choice.token_ids = reply.tokenIds;
  const out: Record<string, unknown> = {
    id: 'chatcmpl-scripted',
    object: 'chat.completion',
    created: 0,
    model,
    choices: [choice],
    usage: reply.usage ?? { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 },
  };
  if (reply.promptTokenIds) out.prompt_token_ids = reply.promptTokenIds;
  return out;
}

/** Starts a server for the duration of `fn` and always closes it. */
export async function withLlmServer<T>(script: Script, fn: (server: ScriptedLlmServer) => Promise<T>): Promise<T> {
  const server = await ScriptedLlmServer.start(script);
  try {
    return await fn(server);
  } finally {
    await server.close();
  }
}
