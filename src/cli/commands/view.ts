import type { Command } from 'commander';

export function register(program: Command): void {
  program
    .command('view')
    .description('Serve a web app for run directories on 127.0.0.1: overview, live learning curves, episodes with verdicts and token shading, compare')
    .argument('<runs...>', 'run directories (eval, train, sft, judge)')
    .option('--port <port>', 'port (0: pick a free one; the URL is printed as JSON)', '0')
    .action(async (runs: string[], o: { port: string }) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be an integer in 0..65535 (got '${o.port}')`);
      // Loaded here, not at the top: `--help` and usage errors need none of the viewer.
      const { startViewer } = await import('../../web/server.ts');
      const server = await startViewer({ runs, port });
      // One JSON line on stdout, so a parent process can read the address it got.
      process.stdout.write(JSON.stringify({ port: server.port, url: server.url, runs: server.catalog.roots().map((r) => r.label) }) + '\n');
      await new Promise<void>((resolve) => {
        const stop = (): void => void server.close().then(resolve);
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      });
    });
}
