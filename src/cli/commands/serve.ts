import type { Command } from 'commander';
import { DEFAULTS } from '../../serve/options.ts';
import { addTau2WorldFlags, type Tau2WorldFlags } from '../shared/tau2-world.ts';

/** `tarl serve`'s options. What it does is in serve-run.ts, imported when it runs, so that `--help` and usage errors need none of it. */
export interface ServeFlags extends Tau2WorldFlags {
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
  cmd.action(async (f: ServeFlags) => (await import('./serve-run.ts')).serveAction(f));
}
