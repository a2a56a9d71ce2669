import { Command } from 'commander';
import { commands } from './commands/index.ts';

const program = new Command('tarl')
  .description('Evaluate and train LLM tool-use agents with turn-level adjudicated rewards')
  .showHelpAfterError();
for (const register of commands) register(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`tarl: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
