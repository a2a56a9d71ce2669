import type { SampleRequest, SampledCompletion, Sampler } from './sampler.ts';

export interface BatchingOptions {
  /** Most requests in one call (each may ask for n completions). */
  maxBatch?: number;
  /**
   * How long the first waiting request holds the batch open for others, in ms. 0 flushes on the
   * next macrotask: every episode whose turn became ready in the same burst of promise
   * continuations (a batch's results resolve together) joins, with no added latency.
   */
  windowMs?: number;
}

interface Waiting {
  request: SampleRequest;
  resolve: (c: SampledCompletion[]) => void;
  reject: (e: unknown) => void;
}

/**
 * Turns one-request-at-a-time callers (concurrent episodes, each asking for its next turn) into
 * batched calls of the wrapped sampler, so the service left-pads and decodes them together.
 * Results go back to each caller in its own order; a failed call fails every request in it.
 */
export class BatchingSampler implements Sampler {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  private readonly maxBatch: number;
  private readonly windowMs: number;
  /** Calls made and requests served, for `perf/` metrics. */
  readonly stats = { calls: 0, requests: 0 };

  constructor(
    private readonly inner: Sampler,
    opts: BatchingOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.windowMs = opts.windowMs ?? 0;
  }

  /** Each request joins the next batch; resolves with its own completions. */
  sample(requests: SampleRequest[]): Promise<SampledCompletion[][]> {
    return Promise.all(requests.map((r) => this.one(r)));
  }

  one(request: SampleRequest): Promise<SampledCompletion[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.queue.length >= this.maxBatch) this.flush();
      else this.timer ??= this.windowMs > 0 ? setTimeout(() => this.flush(), this.windowMs) : setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.timer) {
      clearTimeout(this.timer as NodeJS.Timeout);
      clearImmediate(this.timer as NodeJS.Immediate);
    }
    this.timer = undefined;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.stats.calls++;
      this.stats.requests += batch.length;
      this.inner.sample(batch.map((w) => w.request)).then(
        (out) => batch.forEach((w, i) => w.resolve(out[i]!)),
        (e: unknown) => batch.forEach((w) => w.reject(e)),
      );
    }
  }

  update(checkpoint: { path: string; name: string }): Promise<void> {
    return this.inner.update(checkpoint);
  }
}
