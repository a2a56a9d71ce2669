import type { MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.ts';
import { isLoopback } from './options.ts';

/**
 * Refuses browser requests from foreign origins (the MCP transport spec requires validating
 * `Origin` against DNS rebinding: a web page must not drive a loopback server). Non-browser
 * clients send no `Origin` and pass; so do pages served from loopback or from this very host.
 */
export const originCheck: MiddlewareHandler = async (c, next) => {
  const origin = c.req.header('origin');
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).hostname;
    } catch {
      throw new ApiError(403, 'forbidden_origin', `unparseable Origin '${origin}'`);
    }
    const own = new URL(c.req.url).hostname;
    if (!isLoopback(host) && host !== own) throw new ApiError(403, 'forbidden_origin', `requests from origin '${origin}' are not allowed`);
  }
  await next();
};
