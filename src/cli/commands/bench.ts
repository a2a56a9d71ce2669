import type { Command } from 'commander';

/** Benchmarks live in src/bench/<name>.ts, each exporting `run(): Promise<void>` that prints its table. */
const BENCHES = ['env', 'serve', 'episodes', 'trainer', 'train', 'learn', 'generate', 'view', 'speech', 'startup'] as const;

export function register(program: Command): void {
  program
    .command('bench')
    .description(`Run a benchmark and print its figures (${BENCHES.join(', ')})`)
    .argument('<name>', 'which benchmark')
    .action(async (name: string) => {
      if (!(BENCHES as readonly string[]).includes(name)) {
        throw new Error(`unknown benchmark '${name}' (known: ${BENCHES.join(', ')})`);
      }
      const mod = (await import(`../../bench/${name}.ts`)) as { run: () => Promise<void> };
      await mod.run();
    });
}
