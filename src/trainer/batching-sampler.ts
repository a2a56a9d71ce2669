import type { PolicyWeights, SampleRequest, SampledCompletion, Sampler } from './sampler.ts';

export interface BatchingOptions {
  /** Most requests in one call (each may ask for n completions). */
  maxBatch?: number;
  /**
   * The batch is sent as soon as every episode that has entered (and not yet exited) is waiting
   * for its turn; otherwise once no new request has arrived for `idleMs` (debounce), and at the
   * latest `maxWaitMs` after its first request. When a batch's results come back, every episode
   * renders its next delta (one HTTP call each) before it asks again: without the count the
   * requests would trickle in and the first one would split the wave.
   */
  idleMs?: number;
  maxWaitMs?: number;
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
  private idle: NodeJS.Timeout | undefined;
  private deadline: NodeJS.Timeout | undefined;
  private readonly maxBatch: number;
  private readonly idleMs: number;
  private readonly maxWaitMs: number;
  /** Calls made and requests served, for `perf/` metrics. */
  readonly stats = { calls: 0, requests: 0 };
  /** Episodes between enter() and exit(). */
  private active = 0;

  constructor(
    private readonly inner: Sampler,
    opts: BatchingOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 256;
    this.idleMs = opts.idleMs ?? 50;
    this.maxWaitMs = opts.maxWaitMs ?? 1000;
  }

  /** Each request joins the next batch; resolves with its own completions. */
  sample(requests: SampleRequest[]): Promise<SampledCompletion[][]> {
    return Promise.all(requests.map((r) => this.one(r)));
  }

  one(request: SampleRequest): Promise<SampledCompletion[]> {
    return new Promise((resolve, reject) => {
      this.queue.push({ request, resolve, reject });
      if (this.queue.length >= this.maxBatch || (this.active > 0 && this.queue.length >= this.active)) return this.flush();
      clearTimeout(this.idle);
      this.idle = setTimeout(() => this.flush(), this.idleMs);
      this.deadline ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    clearTimeout(this.idle);
    clearTimeout(this.deadline);
    this.idle = this.deadline = undefined;
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

  enter(): void {
    this.active++;
  }

  /** An episode ended: if everyone still running is already waiting, their wave goes now. */
  exit(): void {
    this.active = Math.max(0, this.active - 1);
    if (this.queue.length > 0 && this.queue.length >= this.active) this.flush();
  }

  update(weights: PolicyWeights): Promise<void> {
    return this.inner.update(weights);
  }
}
