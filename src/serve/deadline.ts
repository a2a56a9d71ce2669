import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.ts';

declare module 'hono' {
  interface ContextVariableMap {
    /** When the request arrived (ms since the epoch), for the per-request time limit. */
    arrivedAt: number;
  }
}

/** Stamps when a request arrived; runs before the time-limit middleware starts its clock. */
export const stampArrival: MiddlewareHandler = async (c, next) => {
  c.set('arrivedAt', Date.now());
  await next();
};

/**
 * Refuses to act on a request whose time limit has passed. The time-limit middleware has already
 * answered 504 by then, but the handler is still running (a late body finally arrived): without
 * this check the call would change the world after the client was told it failed.
 */
export function checkDeadline(c: Context, limitMs: number): void {
  const arrived = c.get('arrivedAt') as number | undefined;
  if (arrived !== undefined && Date.now() - arrived >= limitMs) {
    throw new ApiError(504, 'timeout', `request exceeded the ${limitMs} ms limit`);
  }
}
