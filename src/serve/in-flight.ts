import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * Counts requests from arrival until their response is fully written (not merely produced by
 * the handler), so shutdown can let in-flight calls finish before closing connections.
 * Long-lived MCP GET streams are not calls and are not counted.
 */
export class InFlight {
  count = 0;
  private waiters: (() => void)[] = [];

  track(server: Server): void {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (req.method === 'GET' && req.url?.startsWith('/mcp')) return;
      this.count++;
      res.once('close', () => {
        if (--this.count === 0) for (const w of this.waiters.splice(0)) w();
      });
    });
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
