import { Hono, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import { ApiError, errorBody } from './api-error.ts';
import { mcpHandler } from './mcp-route.ts';
import { openApiDocument } from './openapi.ts';
import { restRoutes } from './rest.ts';
import type { SessionStore } from './session-store.ts';

export interface AppLimits {
  token?: string | undefined;
  maxBodyBytes: number;
  requestTimeoutMs: number;
}

/** Counts requests being handled, so shutdown can wait for in-flight calls to finish. */
export class InFlight {
  count = 0;
  private waiters: (() => void)[] = [];

  middleware(): MiddlewareHandler {
    return async (_c, next) => {
      this.count++;
      try {
        await next();
      } finally {
        if (--this.count === 0) for (const w of this.waiters.splice(0)) w();
      }
    };
  }

  /** Resolves when nothing is in flight, or after `ms` (returns whether it drained). */
  drained(ms: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const t = setTimeout(() => resolve(false), ms);
      this.waiters.push(() => {
        clearTimeout(t);
        resolve(true);
      });
    });
  }
}

/**
 * The whole HTTP surface: `/v1` (REST + OpenAPI) and `/mcp`. Order of checks on a request:
 * route → auth (401) → body size (413) → time limit (504) → handler (400/404/409/429).
 */
export function buildApp(store: SessionStore, limits: AppLimits, inFlight: InFlight): { app: Hono; closeMcp: () => Promise<void> } {
  const app = new Hono();
  const mcp = mcpHandler(store);

  app.onError((e, c) => {
    if (e instanceof ApiError) return c.json(errorBody(e.code, e.message), e.status);
    if (e instanceof HTTPException) {
      if (e.status === 401 || e.status === 400) return e.getResponse();
      if (e.status === 504) return c.json(errorBody('timeout', `request exceeded the ${limits.requestTimeoutMs} ms limit`), 504);
      return c.json(errorBody('http_error', e.message), e.status);
    }
    return c.json(errorBody('internal', e instanceof Error ? e.message : String(e)), 500);
  });
  app.notFound((c) => c.json(errorBody('no_route', `no route ${c.req.method} ${c.req.path}`), 404));

  const tooLarge: MiddlewareHandler = bodyLimit({
    maxSize: limits.maxBodyBytes,
    onError: (c) => c.json(errorBody('body_too_large', `body exceeds the ${limits.maxBodyBytes}-byte limit`), 413),
  });
  const auth: MiddlewareHandler = limits.token
    ? bearerAuth({
        token: limits.token,
        noAuthenticationHeader: { message: errorBody('unauthorized', 'missing bearer token (Authorization: Bearer <token>)') },
        invalidAuthenticationHeader: { message: errorBody('bad_authorization', 'Authorization header is not a bearer token') },
        invalidToken: { message: errorBody('unauthorized', 'wrong bearer token') },
      })
    : async (_c, next) => next();
  const limited = timeout(limits.requestTimeoutMs);
  const open = new Set(['/v1/health', '/v1/openapi.json']);

  app.use('/v1/*', async (c, next) => (open.has(c.req.path) ? next() : auth(c, next)));
  app.use('/mcp', auth);
  app.use('*', tooLarge);
  // Long-lived MCP GET streams are neither timed nor counted as in-flight calls.
  const callsOnly = (mw: MiddlewareHandler): MiddlewareHandler => async (c, next) =>
    c.req.method === 'GET' && c.req.path === '/mcp' ? next() : mw(c, next);
  app.use('*', callsOnly(inFlight.middleware()));
  app.use('*', callsOnly(limited));

  app.get('/v1/openapi.json', (c) => c.json(openApiDocument(new URL(c.req.url).origin)));
  app.route('/v1', restRoutes(store));
  app.all('/mcp', (c) => mcp.handle(c));

  return { app, closeMcp: mcp.closeAll };
}
