import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { buildViewApp } from './app.ts';
import { appScript } from './assets.ts';
import { RunCatalog } from './runs.ts';

export interface ViewServer {
  port: number;
  /** e.g. `http://127.0.0.1:41234` */
  url: string;
  catalog: RunCatalog;
  close(): Promise<void>;
}

/**
 * Serves the viewer for `runs` on 127.0.0.1 (loopback only: the runs hold prompts, datasets and
 * model output). Port 0 picks a free one. The browser script is compiled before listening, so a
 * broken client fails the start, not the first page.
 */
export async function startViewer(o: { runs: readonly string[]; port?: number }): Promise<ViewServer> {
  const catalog = new RunCatalog(o.runs);
  await appScript();
  const app = buildViewApp(catalog);
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port ?? 0, hostname: '127.0.0.1' }) as Server;
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    catalog,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
