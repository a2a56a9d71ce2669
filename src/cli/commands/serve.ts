import type { Command } from 'commander';
import { DEFAULTS, type ServeOptions } from '../../serve/options.ts';
import { startServer } from '../../serve/server.ts';
import { loadTau2Served, startTau2Server, tau2ServedNames } from '../../serve/tau2-server.ts';
import type { Tau2ServedDomain } from '../../serve/tau2-store.ts';
import { addTau2WorldFlags, tau2WorldOptions, type Tau2WorldFlags } from '../shared/tau2-world.ts';
import { readTau2Manifest } from '../../dataset/tau2-import.ts';

interface ServeFlags extends Tau2WorldFlags {
  data: string;
  benchmark?: string;
  domain?: string;
  host: string;
  port: string;
  token?: string;
  maxSessions: string;
  idleTtl: string;
  maxBody: string;
  timeout: string;
}

function int(v: string, what: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new Error(`${what} must be an integer, not '${v}'`);
  return n;
}

function tau2Served(f: ServeFlags): Tau2ServedDomain[] {
  return loadTau2Served(f.data, f.domain, tau2WorldOptions(f, tau2ServedNames(f.data, f.domain)));
}

export function register(program: Command): void {
  const cmd = program
    .command('serve')
    .description('Serve per-session sandbox worlds over REST (/v1) and MCP (/mcp, Streamable HTTP)')
    .requiredOption('--data <dir>', 'dataset directory (τ-bench layout: data/, tasks/, policy/)')
    .option('--domain <domain>', 'serve only this domain (default: every domain in the directory)')
    .option('--benchmark <name>', "tau2: serve τ²-bench worlds (automatic for a 'tarl data import-tau2bench' dataset)")
    .option('--host <host>', 'bind address; beyond loopback a --token is required', DEFAULTS.host)
    .option('--port <port>', 'port (0: pick a free one; the chosen port is printed as JSON)', String(DEFAULTS.port))
    .option('--token <token>', 'bearer token required on every request (env TARL_SERVE_TOKEN)')
    .option('--max-sessions <n>', 'most live sessions', String(DEFAULTS.maxSessions))
    .option('--idle-ttl <seconds>', 'evict a session idle this long', String(DEFAULTS.idleTtlMs / 1000))
    .option('--max-body <bytes>', 'largest request body', String(DEFAULTS.maxBodyBytes))
    .option('--timeout <ms>', 'per-request time limit', String(DEFAULTS.requestTimeoutMs));
  addTau2WorldFlags(cmd);
  cmd.action(async (f: ServeFlags) => {
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
    });
}
