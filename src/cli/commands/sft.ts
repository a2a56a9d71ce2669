import type { Command } from 'commander';

/** `tarl sft`'s options. What it does is in sft-run.ts, imported when it runs, so that `--help` and usage errors need none of it. */
export interface SftOptions {
  config?: string;
  set: string[];
  data?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  progress: boolean;
}

export function register(program: Command): void {
  program
    .command('sft')
    .description('Supervised warm start on oracle demonstrations (the same renderer the RL loop samples through); writes checkpoints RL and eval take')
    .option('--config <file>', 'JSON config (src/rl/sft.ts documents every field)')
    .option('--set <key=value>', 'override one field, e.g. --set steps=500 (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--data <dir>', 'dataset directory (= --set data.dir=DIR)')
    .option('--out <dir>', 'run directory to create (or, with --resume, to continue)')
    .option('--force', 'replace the run already in --out (only a run folder; never anything else)')
    .option('--resume', 'continue the run in --out from its last checkpoint')
    .option('--no-progress', 'no progress output')
    .action(async (o: SftOptions) => {
      if (!o.out) throw new Error('tarl sft needs --out RUN_DIR');
      await (await import('./sft-run.ts')).sftAction({ ...o, out: o.out });
    });
}
