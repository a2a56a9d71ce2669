import type { Command } from 'commander';

/** `tarl demo`'s options. What it does is in demo-run.ts, imported when it runs, so that `--help` and usage errors need none of it. */
export interface DemoOptions {
  out?: string;
  domain: 'retail' | 'airline';
  tasks: string;
  trials: string;
  seed: string;
  evalOnly?: boolean;
  fromScratch?: boolean;
  writeStarter?: boolean;
  set: string[];
  progress: boolean;
  modality?: string;
  speechRatio?: string;
  voice?: string;
  sendTranscript?: boolean;
}

export function register(program: Command): void {
  program
    .command('demo')
    .description('The main job: a tiny model learns multi-turn tool use on CPU — SFT, then TARL RL — measured on held-out tasks (--eval-only: the quick evaluation demo)')
    .option('--out <dir>', 'where the demo writes everything (default runs/demo-seed<N>)')
    .option('--seed <n>', 'world, model and run seed', '1')
    .option('--set <key=value>', 'override one demo setting, e.g. --set rl.steps=20 (src/demo/config.ts; repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--from-scratch', 'train the tokenizer and SFT from scratch instead of starting RL from the shipped starter checkpoint (~25 min more on 2 cores)')
    .option('--write-starter', 'with --from-scratch: write the SFT checkpoint as the shipped starter (starter/, or --set starterDir=DIR)')
    .option('--modality <m>', 'text (default), mixed or speech: after the text RL, a speech stage — a short RL run on the tiny Omni model with spoken user turns, evaluated by modality (docs/speech.md)')
    .option('--speech-ratio <r>', 'mixed: the share of spoken episodes (default 0.5)')
    .option('--voice <spec>', 'TTS: espeak-ng[:key=value,…] or openai:base_url=…,model=… (docs/speech.md)')
    .option('--send-transcript', 'speech turns: render the transcript after the audio')
    .option('--eval-only', 'the quick demo: oracle and flawed agents evaluated and judged on a generated world')
    .option('--domain <d>', '--eval-only: retail or airline', 'retail')
    .option('--tasks <n>', '--eval-only: test tasks', '100')
    .option('--trials <n>', '--eval-only: trials per task', '4')
    .option('--no-progress', 'no progress output')
    .action(async (o: DemoOptions) => (await import('./demo-run.ts')).demo(o));
}
