/**
 * `tarl serve` for τ²-bench worlds: the same HTTP surface rules as our other worlds (origin
 * check, time limit, bearer auth, body limit), with τ²'s REST routes, the gym API and MCP for
 * both sides (`/mcp` agent tools, `/mcp/user` user tools).
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import { checkTau2Domain, loadTau2Tasks, loadTau2World, type WorldOptions } from '../dataset/tau2.ts';
import { readTau2Manifest } from '../dataset/tau2-import.ts';
import { TAU2_DOMAINS, type Tau2DomainName } from '../sandbox/tau2/world.ts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiError, errorBody } from './api-error.ts';
import { stampArrival } from './deadline.ts';
import { InFlight } from './in-flight.ts';
import { checkOptions, type ServeOptions } from './options.ts';
import { originCheck } from './origin-check.ts';
import { tau2McpHandler } from './tau2-mcp.ts';
import { tau2RestRoutes } from './tau2-rest.ts';
import { Tau2SessionStore, type Tau2ServedDomain } from './tau2-store.ts';

/** The τ² domains of a directory: an imported τ² dataset, or τ²'s data folder (`data/<domain>/`). */
/** The τ² domains `tarl serve` would publish from a folder (an imported dataset's, or data/<domain>/). */
export function tau2ServedNames(dir: string, only?: string): Tau2DomainName[] {
  const manifest = readTau2Manifest(dir);
  const names = manifest
    ? [manifest.domain]
    : only !== undefined
      ? [checkTau2Domain(only)]
      : TAU2_DOMAINS.filter((d) => existsSync(join(dir, 'data', d)) || existsSync(join(dir, d)));
  if (only !== undefined && manifest && manifest.domain !== only) throw new Error(`dataset '${dir}' holds domain '${manifest.domain}', not '${only}'`);
  if (names.length === 0) throw new Error(`no τ²-bench domain under '${dir}' (expected an imported τ² dataset or data/<domain>/)`);
  return names;
}

export function loadTau2Served(dir: string, only?: string, world: WorldOptions = {}): Tau2ServedDomain[] {
  return tau2ServedNames(dir, only).map((name) => {
    const set = loadTau2Tasks(dir, name);
    const splits = new Map<string, (typeof set.tasks)[number][]>([['full', set.tasks]]);
    const byId = new Map(set.tasks.map((t) => [t.id, t]));
    for (const [split, ids] of set.splits) splits.set(split, ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])));
    return { name, world: loadTau2World(dir, name, world), splits };
  });
}

export interface RunningTau2Server {
  port: number;
  url: string;
  store: Tau2SessionStore;
  close(): Promise<void>;
}

export async function startTau2Server(opts: ServeOptions, domains?: readonly Tau2ServedDomain[]): Promise<RunningTau2Server> {
  checkOptions(opts);
  const served = domains ?? loadTau2Served(opts.data, opts.domain);
  const store = new Tau2SessionStore(served, { maxSessions: opts.maxSessions, idleTtlMs: opts.idleTtlMs });
  const app = new Hono();
  const mcpAgent = tau2McpHandler(store, opts.requestTimeoutMs, 'assistant');
  const mcpUser = tau2McpHandler(store, opts.requestTimeoutMs, 'user');
  app.onError((e, c) => {
    if (e instanceof ApiError) return c.json(errorBody(e.code, e.message), e.status);
    if (e instanceof HTTPException) {
      if (e.status === 401 || e.status === 400) return e.getResponse();
      if (e.status === 504) return c.json(errorBody('timeout', `request exceeded the ${opts.requestTimeoutMs} ms limit`), 504);
      return c.json(errorBody('http_error', e.message), e.status);
    }
    return c.json(errorBody('internal', e instanceof Error ? e.message : String(e)), 500);
  });
  app.notFound((c) => c.json(errorBody('no_route', `no route ${c.req.method} ${c.req.path}`), 404));
  const auth: MiddlewareHandler = opts.token
    ? bearerAuth({ token: opts.token, hashFunction: (v: string) => createHash('sha256').update(v).digest('hex') })
    : async (_c, next) => next();
  const limited = timeout(opts.requestTimeoutMs);
  app.use('*', originCheck);
  app.use('*', stampArrival);
  app.use('*', async (c, next) => (c.req.method === 'GET' && c.req.path.startsWith('/mcp') ? next() : limited(c, next)));
  app.use('/v1/*', async (c, next) => (c.req.path === '/v1/health' ? next() : auth(c, next)));
  app.use('/mcp', auth);
  app.use('/mcp/user', auth);
  app.use('*', bodyLimit({ maxSize: opts.maxBodyBytes, onError: (c) => c.json(errorBody('body_too_large', `body exceeds the ${opts.maxBodyBytes}-byte limit`), 413) }));
  app.route('/v1', tau2RestRoutes(store, opts.requestTimeoutMs));
  app.all('/mcp', (c) => mcpAgent.handle(c));
  app.all('/mcp/user', (c) => mcpUser.handle(c));

  const inFlight = new InFlight();
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
      server.closeIdleConnections();
      await mcpAgent.closeAll();
      await mcpUser.closeAll();
      store.closeAll();
      server.closeAllConnections();
      await closed;
    })());
  return { port, url: `http://${host}:${port}`, store, close };
}
