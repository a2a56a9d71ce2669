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
    .option('--threads <n>', 'torch CPU threads (per rank)', '2')
    .option('--nproc <n>', 'ranks (torchrun on this node; FSDP2 over all of them); 1 = one process', '1')
    .option('--python <path>', 'Python interpreter (default: .venv/bin/python)')
    .action(async (o: { port: string; threads: string; nproc: string; python?: string }) => {
      const nproc = Number(o.nproc);
      if (!Number.isInteger(nproc) || nproc < 1) throw new Error(`--nproc: expected a positive integer, got ${o.nproc}`);
      // Loaded here, not at the top: `--help` and usage errors need none of the service code.
      const { startTrainer } = await import('../../trainer/process.ts');
      const svc = await startTrainer({ port: Number(o.port), threads: Number(o.threads), nproc, ...(o.python ? { python: o.python } : {}) });
      process.stdout.write(`${JSON.stringify({ url: svc.baseUrl, openai_base_url: `${svc.baseUrl}/v1`, token: svc.token, pid: svc.pid })}\n`);
      await new Promise<void>((resolve) => {
        const stop = (): void => void svc.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        // A rank that dies takes the service down (torchrun ends the others): say so and fail.
        svc.child.once('exit', (code, signal) => {
          if (code !== 0 && code !== null) {
            process.stderr.write(`trainer service exited with code ${code}${signal ? ` (${signal})` : ''}; its stderr ends:\n${svc.stderrTail()}\n`);
            process.exitCode = 1;
          }
          resolve();
        });
      });
    });
}
