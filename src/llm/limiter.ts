import { sleep } from './backoff.ts';

/** Per-endpoint limits; undefined means unlimited. */
export interface EndpointLimits {
  concurrency?: number;
  requestsPerMinute?: number;
}

const MINUTE_MS = 60_000;

/**
 * Bounds in-flight requests and requests started per rolling minute for one endpoint. One
 * instance per endpoint is shared by every client in the process (see `limiterFor`), because
 * the provider's limits are per account/endpoint, not per client object.
 */
export class EndpointLimiter {
  private inFlight = 0;
  private readonly waiters: (() => void)[] = [];
  /** Start times within the last minute, oldest first. */
  private readonly starts: number[] = [];

  constructor(
    private limits: EndpointLimits,
    /** The rate window; a minute in production, shorter in tests. */
    private readonly windowMs: number = MINUTE_MS,
  ) {}

  /** Several clients may configure one endpoint: the strictest limit wins. */
  tighten(limits: EndpointLimits): void {
    this.limits = {
      concurrency: minDefined(this.limits.concurrency, limits.concurrency),
      requestsPerMinute: minDefined(this.limits.requestsPerMinute, limits.requestsPerMinute),
    };
  }

  get current(): Readonly<EndpointLimits> {
    return this.limits;
  }

  /** Waits for a slot (and for the per-minute window); returns the release function. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    await this.takeSlot(signal);
    try {
      await this.takeRate(signal);
    } catch (e) {
      this.releaseSlot();
      throw e;
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.releaseSlot();
    };
  }

  private takeSlot(signal?: AbortSignal): Promise<void> {
    const max = this.limits.concurrency;
    if (max === undefined || this.inFlight < max) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const grant = (): void => {
        signal?.removeEventListener('abort', onAbort);
        this.inFlight++;
        resolve();
      };
      const onAbort = (): void => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  private releaseSlot(): void {
    this.inFlight--;
    const max = this.limits.concurrency;
    if (this.waiters.length > 0 && (max === undefined || this.inFlight < max)) this.waiters.shift()!();
  }

  private async takeRate(signal?: AbortSignal): Promise<void> {
    for (;;) {
      const rpm = this.limits.requestsPerMinute;
      const now = Date.now();
      while (this.starts.length > 0 && this.starts[0]! <= now - this.windowMs) this.starts.shift();
      if (rpm === undefined || this.starts.length < rpm) {
        this.starts.push(now);
        return;
      }
      await sleep(this.starts[0]! + this.windowMs - now, signal);
    }
  }
}

function minDefined(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

const registry = new Map<string, EndpointLimiter>();

/** The process-wide limiter of an endpoint (keyed by its normalised base URL). */
export function limiterFor(endpoint: string, limits: EndpointLimits): EndpointLimiter {
  let l = registry.get(endpoint);
  if (!l) registry.set(endpoint, (l = new EndpointLimiter(limits)));
  else l.tighten(limits);
  return l;
}
