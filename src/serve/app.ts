import { createHash } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import { ApiError, errorBody } from './api-error.ts';
import { stampArrival } from './deadline.ts';
import { mcpHandler } from './mcp-route.ts';
import { originCheck } from './origin-check.ts';
import { openApiDocument } from './openapi.ts';
import { restRoutes } from './rest.ts';
import type { SessionStore } from './session-store.ts';

export interface AppLimits {
  token?: string | undefined;
  maxBodyBytes: number;
  requestTimeoutMs: number;
}

/**
 * The whole HTTP surface: `/v1` (REST + OpenAPI) and `/mcp`. Order of checks on a request:
 * origin (403) → time limit starts (504) → auth (401) → body size (413) → handler (400/404/409/429).
 */
export function buildApp(store: SessionStore, limits: AppLimits): { app: Hono; closeMcp: () => Promise<void> } {
  const app = new Hono();
  const mcp = mcpHandler(store, limits.requestTimeoutMs);

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
        // Node's synchronous SHA-256 for the constant-time compare (the default goes through async WebCrypto).
        hashFunction: (v: string) => createHash('sha256').update(v).digest('hex'),
        noAuthenticationHeader: { message: errorBody('unauthorized', 'missing bearer token (Authorization: Bearer <token>)') },
        invalidAuthenticationHeader: { message: errorBody('bad_authorization', 'Authorization header is not a bearer token') },
        invalidToken: { message: errorBody('unauthorized', 'wrong bearer token') },
      })
    : async (_c, next) => next();
  const limited = timeout(limits.requestTimeoutMs);
  const open = new Set(['/v1/health', '/v1/openapi.json']);

  app.use('*', originCheck);
  // The clock starts before auth and the body read, so a stalled upload (chunked too) is bounded.
  // Long-lived MCP GET streams are not calls: no time limit.
  app.use('*', stampArrival);
  app.use('*', async (c, next) => (c.req.method === 'GET' && c.req.path === '/mcp' ? next() : limited(c, next)));
  app.use('/v1/*', async (c, next) => (open.has(c.req.path) ? next() : auth(c, next)));
  app.use('/mcp', auth);
  app.use('*', tooLarge);

  app.get('/v1/openapi.json', (c) => c.json(openApiDocument(new URL(c.req.url).origin)));
  app.route('/v1', restRoutes(store, limits.requestTimeoutMs));
  app.all('/mcp', (c) => mcp.handle(c));

  return { app, closeMcp: mcp.closeAll };
}
