/** What `tarl sandbox replay` does, loaded only when it runs (the options live in sandbox.ts). */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { checkTau2Domain, loadTau2Tasks, loadTau2World } from '../../dataset/tau2.ts';
import { loadTaubenchWorld } from '../../dataset/world.ts';
import { parsePy } from '../../py/parse.ts';
import { readTextFile } from '../../util/json-file.ts';
import { replayLine, replaySteps, stepsOfLine } from '../../sandbox/replay.ts';
import { replayOutcomeLine, replayRecord, replayRecordOf } from '../../sandbox/tau2/replay.ts';
import { ProcessState } from '../../sandbox/tau2/world.ts';
import type { ReplayOptions } from './sandbox.ts';

export async function replayAction(opts: ReplayOptions): Promise<void> {
  if (opts.in !== undefined) readTextFile(opts.in, 'a JSONL file of tool-call sequences'); // names the file when it is missing or a folder
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
}
