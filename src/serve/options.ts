/** How `tarl serve` runs: where, who may call it, and the limits that keep one client from starving others. */
export interface ServeOptions {
  /** Dataset directory (τ-bench layout until the generated format lands). */
  data: string;
  /** Serve only this domain (default: every domain the directory holds). */
  domain?: string | undefined;
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Bearer token; required when binding beyond loopback. */
  token?: string | undefined;
  maxSessions: number;
  idleTtlMs: number;
  maxBodyBytes: number;
  /** Per-request time limit (body read + call); answered 504. */
  requestTimeoutMs: number;
  /** How long shutdown waits for in-flight requests before closing connections. */
  shutdownGraceMs: number;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 0,
  maxSessions: 1024,
  idleTtlMs: 15 * 60_000,
  maxBodyBytes: 1024 * 1024,
  requestTimeoutMs: 10_000,
  shutdownGraceMs: 10_000,
} as const satisfies Omit<ServeOptions, 'data'>;

/** Whether a bind address only accepts connections from this machine. */
export function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/** Token characters RFC 6750 allows (what the bearer-auth middleware accepts). */
const TOKEN_RE = /^[A-Za-z0-9._~+/-]+=*$/;

/** Refuses unsafe or meaningless settings before anything binds. */
export function checkOptions(o: ServeOptions): void {
  if (!isLoopback(o.host) && !o.token) {
    throw new Error(`refusing to bind ${o.host} without --token: beyond loopback, every request must carry a bearer token`);
  }
  if (o.token !== undefined && !TOKEN_RE.test(o.token)) {
    throw new Error('--token must be a bearer token: letters, digits and . _ ~ + / - (optionally ending in =)');
  }
  if (o.token !== undefined && o.token.length < 16 && !isLoopback(o.host)) {
    throw new Error('--token must be at least 16 characters when binding beyond loopback');
  }
  const positive: [string, number][] = [
    ['max sessions', o.maxSessions],
    ['idle TTL', o.idleTtlMs],
    ['body limit', o.maxBodyBytes],
    ['request time limit', o.requestTimeoutMs],
  ];
  for (const [what, v] of positive) if (!Number.isFinite(v) || v <= 0) throw new Error(`${what} must be a positive number`);
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65535) throw new Error(`port must be 0..65535, not ${o.port}`);
}
