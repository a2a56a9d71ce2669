import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { repoPath } from '../paths.ts';
import { commands } from './commands/index.ts';

const { version } = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
const program = new Command('tarl')
  .description('Evaluate and train LLM tool-use agents with turn-level adjudicated rewards')
  .version(version)
  .showHelpAfterError();

// Only the invoked command's module is loaded; for the top-level help (or an unknown command,
// whose error suggests the nearest name) every command is listed by name and summary alone.
const invoked = commands.find((c) => c.name === process.argv[2]);
if (invoked) (await invoked.load()).register(program);
else for (const c of commands) program.command(c.name).description(c.summary);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.stderr.write(`tarl: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
}
