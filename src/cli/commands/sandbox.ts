import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { checkTau2Domain, loadTau2Tasks, loadTau2World } from '../../dataset/tau2.ts';
import { loadTaubenchWorld } from '../../dataset/world.ts';
import { parsePy } from '../../py/parse.ts';
import { replayLine, replaySteps, stepsOfLine } from '../../sandbox/replay.ts';
import { replayOutcomeLine, replayRecord, replayRecordOf } from '../../sandbox/tau2/replay.ts';
import { ProcessState } from '../../sandbox/tau2/world.ts';

interface ReplayOptions {
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
    .action(async (opts: ReplayOptions) => {
      const input = opts.in ? createReadStream(opts.in, 'utf8') : process.stdin;
      let n = 0;
      if (opts.benchmark === 'tau2') {
        const domain = checkTau2Domain(opts.domain);
        const world = loadTau2World(opts.data, domain);
        const byId = new Map(loadTau2Tasks(opts.data, domain).tasks.map((t) => [t.id, t]));
        // One Python process for the whole input, as τ²'s generator ran (class attributes persist).
        const processState = new ProcessState();
        for await (const line of createInterface({ input, crlfDelay: Infinity })) {
          n++;
          if (line.trim() === '') continue;
          try {
            const record = replayRecordOf(parsePy(line), `line ${n}`);
            const task = byId.get(record.taskId);
            if (!task) throw new Error(`line ${n}: task '${record.taskId}' is not in ${domain}'s tasks`);
            // τ²'s only random id (a new draft bill) as the golden generator fixed it: Babcdef01, 02, … per record.
            let bills = 0;
            const newBillId = (): string => `Babcdef${String(++bills).padStart(2, '0')}`;
            process.stdout.write(replayOutcomeLine(replayRecord(world, task, record, { process: processState, newBillId })) + '\n');
          } catch (e) {
            process.stderr.write(`line ${n}: ${e instanceof Error ? e.message : String(e)}\n`);
            process.exitCode = 1;
          }
        }
        return;
      }
      if (opts.benchmark !== 'taubench') throw new Error(`--benchmark must be taubench or tau2, got '${opts.benchmark}'`);
      const template = loadTaubenchWorld(opts.data, opts.domain);
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
