import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { modelFlagsHelp } from '../llm/model-flags.ts';
import { repoPath } from '../paths.ts';
import { commands } from './commands/index.ts';
import { describeError } from './shared/errors.ts';
import { HELP_TOPICS, quietErrors } from './shared/help.ts';

const { version } = JSON.parse(readFileSync(repoPath('package.json'), 'utf8')) as { version: string };
const program = new Command('tarl')
  .description('Evaluate and train LLM tool-use agents with turn-level adjudicated rewards')
  .version(version)
  .helpCommand(false);

// `tarl help TOPIC`: a command's full help (its module loaded) or a topic such as `models`.
const args = process.argv.slice(2);
const helpFor = args[0] === 'help' ? args[1] : undefined;
const invokedName = helpFor ?? args[0];
const invoked = commands.find((c) => c.name === invokedName);
// Only the invoked command's module is loaded; for the top-level help (or an unknown command,
// whose error suggests the nearest name) every command is listed by name and summary alone.
if (invoked) (await invoked.load()).register(program);
else for (const c of commands) program.command(c.name).description(c.summary);
if (!invoked) {
  program
    .command('help')
    .argument('[topic]', `a command, or one of: ${Object.keys(HELP_TOPICS).join(', ')}`)
    .description(`Help for a command, or a topic (${Object.keys(HELP_TOPICS).join(', ')})`)
    .action((topic: string | undefined) => {
      if (topic === undefined) return program.outputHelp();
      if (topic === 'models') return void process.stdout.write(modelFlagsHelp(HELP_TOPICS.models.roles));
      throw new Error(`no help topic '${topic}' (commands: ${commands.map((c) => c.name).join(', ')}; topics: ${Object.keys(HELP_TOPICS).join(', ')})`);
    });
}
quietErrors(program);

try {
  await program.parseAsync(helpFor && invoked ? [...process.argv.slice(0, 2), helpFor, '--help'] : process.argv);
} catch (e) {
  process.stderr.write(`tarl: ${describeError(e)}\n`);
  process.exitCode = 1;
}
