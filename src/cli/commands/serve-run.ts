/** What `tarl serve` does, loaded only when it runs (the options live in serve.ts). */
import { DEFAULTS, type ServeOptions } from '../../serve/options.ts';
import { startServer } from '../../serve/server.ts';
import { loadTau2Served, startTau2Server, tau2ServedNames } from '../../serve/tau2-server.ts';
import type { Tau2ServedDomain } from '../../serve/tau2-store.ts';
import { tau2WorldOptions } from '../shared/tau2-world.ts';
import { readTau2Manifest } from '../../dataset/tau2-import.ts';
import type { ServeFlags } from './serve.ts';

function int(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${what} must be an integer, not '${v}'`);
  return n;
}

function tau2Served(f: ServeFlags): Tau2ServedDomain[] {
  return loadTau2Served(f.data, f.domain, tau2WorldOptions(f, tau2ServedNames(f.data, f.domain)));
}

export async function serveAction(f: ServeFlags): Promise<void> {
  const opts: ServeOptions = {
    data: f.data,
    domain: f.domain,
    host: f.host,
    port: int(f.port, '--port'),
    token: f.token ?? (process.env.TARL_SERVE_TOKEN || undefined),
    maxSessions: int(f.maxSessions, '--max-sessions'),
    idleTtlMs: Number(f.idleTtl) * 1000,
    maxBodyBytes: int(f.maxBody, '--max-body'),
    requestTimeoutMs: int(f.timeout, '--timeout'),
    shutdownGraceMs: DEFAULTS.shutdownGraceMs,
  };
  const tau2 = f.benchmark === 'tau2' || readTau2Manifest(f.data) !== undefined;
  if (f.benchmark !== undefined && f.benchmark !== 'tau2' && f.benchmark !== 'taubench') throw new Error(`--benchmark must be taubench or tau2, got '${f.benchmark}'`);
  if (!tau2 && (f.retrieval !== undefined || f.embeddingsBaseUrl !== undefined || f.telecomPolicy !== undefined)) throw new Error('--retrieval, --embeddings-base-url and --telecom-policy apply to τ²-bench worlds only');
  const server = tau2 ? await startTau2Server(opts, tau2Served(f)) : await startServer(opts);
  // One JSON line on stdout, so a parent process can read the port it got.
  process.stdout.write(JSON.stringify({ port: server.port, url: server.url, domains: server.store.domains.map((d) => d.name), ...(tau2 && { benchmark: 'tau2' }) }) + '\n');
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.stderr.write(`tarl serve: ${signal}, finishing in-flight requests\n`);
      void server.close().then(resolve);
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
