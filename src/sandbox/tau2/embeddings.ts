/**
 * Dense retrieval over an OpenAI-compatible embeddings endpoint (`POST {base}/embeddings`),
 * for banking's `openai_embeddings*` variants. Tools are synchronous (as τ²'s are), so the HTTP
 * call runs in a worker thread while the caller waits on a shared flag: the tool call blocks for
 * the round trip, like τ²'s own blocking client. Document vectors are computed once per world.
 */
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

export interface EmbeddingsEndpoint {
  baseUrl: string;
  model: string;
  /** Name of the environment variable holding the API key (never the key itself). */
  apiKeyEnv?: string;
  timeoutMs?: number;
}

const WORKER = `
const { workerData } = require('node:worker_threads');
const { port, flag } = workerData;
port.on('message', async (req) => {
  let reply;
  try {
    const r = await fetch(req.url, { method: 'POST', headers: req.headers, body: JSON.stringify(req.body), signal: AbortSignal.timeout(req.timeoutMs) });
    const text = await r.text();
    reply = r.ok ? { ok: true, text } : { ok: false, error: 'HTTP ' + r.status + ': ' + text.slice(0, 300) };
  } catch (e) {
    reply = { ok: false, error: String(e && e.message || e) };
  }
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
});
`;

/** Blocking embeddings client (one worker thread, unref'd so it never holds the process). */
export class SyncEmbeddings {
  private readonly worker: Worker;
  private readonly port: MessageChannel['port1'];
  private readonly flag = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly endpoint: EmbeddingsEndpoint) {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(WORKER, { eval: true, workerData: { port: port2, flag: this.flag }, transferList: [port2] });
    this.worker.unref();
  }

  embed(texts: readonly string[]): number[][] {
    const key = this.endpoint.apiKeyEnv ? process.env[this.endpoint.apiKeyEnv] : undefined;
    if (this.endpoint.apiKeyEnv && !key) throw new Error(`embeddings: environment variable ${this.endpoint.apiKeyEnv} is not set`);
    const timeoutMs = this.endpoint.timeoutMs ?? 60_000;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({
      url: `${this.endpoint.baseUrl.replace(/\/$/, '')}/embeddings`,
      headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
      body: { model: this.endpoint.model, input: texts },
      timeoutMs,
    });
    if (Atomics.wait(this.flag, 0, 0, timeoutMs + 5_000) === 'timed-out') throw new Error(`embeddings: ${this.endpoint.baseUrl} did not answer within ${timeoutMs} ms`);
    const msg = receiveMessageOnPort(this.port)?.message as { ok: boolean; text?: string; error?: string } | undefined;
    if (!msg?.ok) throw new Error(`embeddings: ${msg?.error ?? 'no reply'}`);
    const body = JSON.parse(msg.text!) as { data?: { embedding?: unknown; index?: number }[] };
    if (!Array.isArray(body.data) || body.data.length !== texts.length) throw new Error(`embeddings: expected ${texts.length} vectors in "data"`);
    return [...body.data]
      .sort((a, b) => (a.index ?? 0) - (b.index ?? 0))
      .map((d, i) => {
        if (!Array.isArray(d.embedding) || !d.embedding.every((x) => typeof x === 'number')) throw new Error(`embeddings: data[${i}].embedding is not a list of numbers`);
        return d.embedding as number[];
      });
  }

  close(): void {
    void this.worker.terminate();
  }
}

const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0)) || 1;

/** Cosine-similarity search over documents embedded once (in batches of 64). */
export function embeddingSearch(client: SyncEmbeddings, docs: readonly { id: string; title: string; content: string }[]): (query: string, k: number) => [string, number][] {
  let vectors: { id: string; v: number[]; n: number }[] | undefined;
  return (query, k) => {
    if (!vectors) {
      vectors = [];
      for (let i = 0; i < docs.length; i += 64) {
        const batch = docs.slice(i, i + 64);
        client.embed(batch.map((d) => `${d.title}\n\n${d.content}`)).forEach((v, j) => vectors!.push({ id: batch[j]!.id, v, n: norm(v) }));
      }
    }
    const [q] = client.embed([query]);
    const qn = norm(q!);
    return vectors
      .map(({ id, v, n }) => [id, v.reduce((s, x, i) => s + x * (q![i] ?? 0), 0) / (n * qn)] as [string, number])
      .sort((a, b) => b[1] - a[1])
      .slice(0, k);
  };
}
