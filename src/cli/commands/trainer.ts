import type { Command } from 'commander';

/**
 * `tarl trainer start`: runs the trainer service until interrupted. Prints one JSON line
 * {url, token, pid, openai_base_url} so scripts can address it; the service exits with us.
 */
export function register(program: Command): void {
  const trainer = program.command('trainer').description('The PyTorch trainer service (sampling, training, chat facade)');
  trainer
    .command('start')
    .description('Start the service on 127.0.0.1 and keep it running until Ctrl-C')
    .option('--port <n>', 'port (0 = any free port)', '0')
    .option('--threads <n>', 'torch CPU threads', '2')
    .option('--python <path>', 'Python interpreter (default: .venv/bin/python)')
    .action(async (o: { port: string; threads: string; python?: string }) => {
      // Loaded here, not at the top: `--help` and usage errors need none of the service code.
      const { startTrainer } = await import('../../trainer/process.ts');
      const svc = await startTrainer({ port: Number(o.port), threads: Number(o.threads), ...(o.python ? { python: o.python } : {}) });
      process.stdout.write(`${JSON.stringify({ url: svc.baseUrl, openai_base_url: `${svc.baseUrl}/v1`, token: svc.token, pid: svc.pid })}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void svc.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        svc.child.once('exit', () => resolve());
      });
    });
}
