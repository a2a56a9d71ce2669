import type { Command } from 'commander';

/** `tarl sandbox replay`'s options. What it does is in sandbox-run.ts, imported when it runs, so that `--help` and usage errors need none of it. */
export interface ReplayOptions {
  domain: string;
  data: string;
  in?: string;
  benchmark: string;
}

export function register(program: Command): void {
  const sandbox = program.command('sandbox').description('Work with sandbox worlds directly');
  sandbox
    .command('replay')
    .description(
      'Run tool-call sequences each on a fresh world. τ-bench: lines {"steps":[{"name","kwargs"}]}; ' +
        'τ²-bench (--benchmark tau2): golden records (replay or fuzz format), each from its task\'s initial state',
    )
    .requiredOption('--domain <domain>', 'τ-bench: retail or airline; τ²-bench: airline, retail, telecom or banking_knowledge')
    .requiredOption('--data <dir>', 'τ-bench layout (data/, tasks/, …) or the τ²-bench folder holding data/<domain>/')
    .option('--benchmark <name>', 'taubench or tau2', 'taubench')
    .option('--in <file>', 'input JSONL (default: standard input)')
    .action(async (opts: ReplayOptions) => (await import('./sandbox-run.ts')).replayAction(opts));
}
