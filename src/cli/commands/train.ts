import type { Command } from 'commander';
import { PRESETS } from '../../rl/train-presets.ts';

/** `tarl train`'s options. What it does is in train-run.ts, imported when it runs, so that `--help` and usage errors need none of it. */
export interface TrainOptions {
  config?: string;
  preset?: string;
  set: string[];
  data?: string;
  out?: string;
  resume?: boolean;
  force?: boolean;
  progress: boolean;
  modality?: string;
  speechRatio?: string;
  voice?: string;
  sendTranscript?: boolean;
}

export function register(program: Command): void {
  program
    .command('train')
    .description('Multi-turn RL with turn-level adjudicated rewards (TARL): rollouts, judge, advantages, PPO/GRPO updates, checkpoints')
    .option('--config <file>', 'JSON config (src/rl/config.ts documents every field)')
    .option('--preset <name>', `start from a documented preset (${Object.keys(PRESETS).join(', ')})`)
    .option('--set <key=value>', 'override one field, e.g. --set optim.lr=3e-4 (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .option('--data <dir>', 'dataset directory (= --set data.dir=DIR)')
    .option('--out <dir>', 'run directory to create (or, with --resume, to continue)')
    .option('--force', 'replace the run already in --out (only a run folder; never anything else)')
    .option('--resume', 'continue the run in --out from its last checkpoint (same data order and RNG state)')
    .option('--modality <m>', 'text, speech or mixed: spoken user turns (needs an audio model, e.g. --set model.base.preset=tiny-omni); = --set speech={…}')
    .option('--speech-ratio <r>', 'mixed: the share of spoken episodes (default 0.5)')
    .option('--voice <spec>', 'TTS: espeak-ng[:key=value,…] or openai:base_url=…,model=… (docs/speech.md)')
    .option('--send-transcript', 'speech turns: render the transcript after the audio')
    .option('--no-progress', 'no progress output')
    .action(async (o: TrainOptions) => {
      if (!o.out) throw new Error('tarl train needs --out RUN_DIR (or --resume with --out)');
      await (await import('./train-run.ts')).trainAction({ ...o, out: o.out });
    });
}
