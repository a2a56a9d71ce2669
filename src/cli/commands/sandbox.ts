import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { loadTaubenchWorld } from '../../dataset/world.ts';
import { parsePy } from '../../py/parse.ts';
import { replayLine, replaySteps, stepsOfLine } from '../../sandbox/replay.ts';

interface ReplayOptions {
  domain: string;
  data: string;
  in?: string;
}

export function register(program: Command): void {
  const sandbox = program.command('sandbox').description('Work with sandbox worlds directly');
  sandbox
    .command('replay')
    .description('Run tool-call sequences (JSONL lines {"steps":[{"name","kwargs"}]}) each on a fresh world')
    .requiredOption('--domain <domain>', 'retail or airline')
    .requiredOption('--data <dir>', 'directory in τ-bench layout (data/, tasks/, policy/, tools/)')
    .option('--in <file>', 'input JSONL (default: standard input)')
    .action(async (opts: ReplayOptions) => {
      const template = loadTaubenchWorld(opts.data, opts.domain);
      const input = opts.in ? createReadStream(opts.in, 'utf8') : process.stdin;
      let n = 0;
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        n++;
        if (line.trim() === '') continue;
        try {
          const steps = stepsOfLine(parsePy(line));
          process.stdout.write(replayLine(replaySteps(template, steps)) + '\n');
        } catch (e) {
          process.stderr.write(`line ${n}: ${e instanceof Error ? e.message : String(e)}\n`);
          process.exitCode = 1;
        }
      }
    });
}
