import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { buildApp } from './app.ts';
import { InFlight } from './in-flight.ts';
import { checkOptions, type ServeOptions } from './options.ts';
import { SessionStore } from './session-store.ts';
import { loadServedDomains, type ServedDomain } from './world-source.ts';

export interface RunningServer {
  port: number;
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  store: SessionStore;
  /** Stops accepting, lets in-flight requests finish (up to the grace period), then frees every world. */
  close(): Promise<void>;
}

/** Starts the sandbox service. `domains` lets a caller reuse already loaded worlds (tests, benches). */
export async function startServer(opts: ServeOptions, domains?: readonly ServedDomain[]): Promise<RunningServer> {
  checkOptions(opts);
  const served = domains ?? loadServedDomains(opts.data, opts.domain);
  const store = new SessionStore(served, { maxSessions: opts.maxSessions, idleTtlMs: opts.idleTtlMs });
  const inFlight = new InFlight();
  const { app, closeMcp } = buildApp(store, opts);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }) as Server;
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  inFlight.track(server);
  const { port } = server.address() as AddressInfo;
  const host = opts.host.includes(':') ? `[${opts.host}]` : opts.host;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await inFlight.drained(opts.shutdownGraceMs);
      // Connections whose responses are written are idle now; what remains are MCP streams.
      server.closeIdleConnections();
      await closeMcp();
      store.closeAll();
      server.closeAllConnections();
      await closed;
    })());

  return { port, url: `http://${host}:${port}`, store, close };
}
