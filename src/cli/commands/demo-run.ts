/**
 * What `tarl demo` does, loaded only when it runs (the options live in demo.ts): the checks both
 * demos share, then the demo asked for. Each demo's code is imported only then, and the bulk of it
 * after the first progress line: loading it is most of the command's startup.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { checkOutput } from '../../run/output-dir.ts';
import type { DemoOptions } from './demo.ts';

/** `tarl demo --eval-only` (demo-eval-only.ts), its first line said before that code loads. */
async function evalOnly(o: DemoOptions & { out: string }): Promise<void> {
  const data = join(o.out, `data-${o.domain}`);
  const generate = !existsSync(join(data, 'manifest.json'));
  if (generate) process.stdout.write(`generating a ${o.domain} world and ${Number(o.tasks)} test tasks (seed ${Number(o.seed)}) → ${data}\n`);
  await (await import('./demo-eval-only.ts')).evalOnlyDemo(o, data, generate);
}

/** `tarl demo`: the quick evaluation demo (--eval-only) or the main job (demo-training.ts). */
export async function demo(o: DemoOptions): Promise<void> {
  const seed = Number(o.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer (got '${o.seed}')`);
  if (o.modality === undefined && (o.speechRatio !== undefined || o.voice !== undefined || o.sendTranscript)) {
    throw new Error('--speech-ratio, --voice and --send-transcript need --modality mixed or speech');
  }
  if (o.evalOnly && o.modality !== undefined) throw new Error('--modality is for the training demo (for a spoken evaluation: tarl eval --modality)');
  // The demo resumes from what an earlier demo left in its folder; any other non-empty folder is refused.
  checkOutput(o.out ?? (o.evalOnly ? 'runs/demo-eval' : `runs/demo-seed${seed}`), 'demo', { resume: true });
  if (o.evalOnly) return evalOnly({ ...o, out: o.out ?? 'runs/demo-eval' });
  return (await import('./demo-training.ts')).trainingDemo(o, seed);
}
