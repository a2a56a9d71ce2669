import type { Command } from 'commander';

/**
 * The sub-commands: each registers itself from its own file, loaded only when it is the one
 * invoked (or asked for help), so `tarl` starts without importing every command's dependencies.
 * That file imports commander and light leaf modules alone; what the command does lives in
 * `<name>-run.ts`, imported inside its action, so `--help` and usage errors load none of it
 * (`npm run bench:startup` measures). `summary` is what the top-level help lists. Add one line
 * here per new command.
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<{ register: (program: Command) => void }>;
}

export const commands: readonly CommandEntry[] = [
  { name: 'sandbox', summary: 'Work with sandbox worlds directly (replay golden steps)', load: () => import('./sandbox.ts') },
  { name: 'bench', summary: 'Run a benchmark and print its figures', load: () => import('./bench.ts') },
  { name: 'serve', summary: 'Serve worlds over REST and MCP (per-session sandboxes)', load: () => import('./serve.ts') },
  { name: 'trainer', summary: 'The PyTorch trainer service (sampling, training, chat facade)', load: () => import('./trainer.ts') },
  { name: 'data', summary: 'Generate, import and inspect dataset directories', load: () => import('./data.ts') },
  { name: 'eval', summary: 'Evaluate an agent on a dataset split: pass^k, behaviour metrics, reports', load: () => import('./eval.ts') },
  { name: 'judge', summary: 'Adjudicate every agent turn of a run (oracle or LLM judge); judge benchmark', load: () => import('./judge.ts') },
  { name: 'sft', summary: 'Supervised warm start on oracle demonstrations', load: () => import('./sft.ts') },
  { name: 'train', summary: 'Multi-turn RL with turn-level adjudicated rewards (TARL)', load: () => import('./train.ts') },
  { name: 'demo', summary: 'The main job: a tiny model learns multi-turn tool use on CPU (SFT, then TARL RL)', load: () => import('./demo.ts') },
  { name: 'view', summary: 'A local web app for runs: live curves, episodes, verdicts, token advantages', load: () => import('./view.ts') },
];
