import type { Command } from 'commander';
import { register as bench } from './bench.ts';
import { register as data } from './data.ts';
import { register as demo } from './demo.ts';
import { register as evalCommand } from './eval.ts';
import { register as judge } from './judge.ts';
import { register as sandbox } from './sandbox.ts';
import { register as serve } from './serve.ts';
import { register as sft } from './sft.ts';
import { register as train } from './train.ts';
import { register as trainer } from './trainer.ts';
import { register as view } from './view.ts';

/** Every sub-command registers itself from its own file; add one line here per new file. */
export const commands: ((program: Command) => void)[] = [sandbox, bench, serve, trainer, data, evalCommand, judge, sft, train, demo, view];
