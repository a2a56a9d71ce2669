/** What `tarl sft` does, loaded only when it runs (the options live in sft.ts). */
import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { merge, parseOverride } from '../../rl/overrides.ts';
import { sft, sftConfigSchema, type SftConfig } from '../../rl/sft.ts';
import { RunDir } from '../../run/run-dir.ts';
import { loadDatasetTasks } from '../../dataset/load.ts';
import { checkTasksFit } from '../../eval/preflight.ts';
import { onInterrupt, TRAIN_IN_FLIGHT } from '../shared/interrupt.ts';
import { checkOutput, clearOwnOutput } from '../../run/output-dir.ts';
import type { SftOptions } from './sft.ts';

/** The config: file, then `--set` overrides, then `--data`; or, for `--resume` alone, the run's own. */
function resolveSftConfig(o: SftOptions & { out: string }): SftConfig {
  if (o.resume && !o.config && o.set.length === 0 && !o.data) {
    const run = RunDir.open(o.out);
    const parsed = sftConfigSchema.safeParse(run.manifest().config);
    if (!parsed.success) throw new Error(`${run.path('run.json')}: not an SFT run's config`);
    return parsed.data;
  }
  let cfg: Record<string, unknown> = {};
  if (o.config) {
    if (!existsSync(o.config)) throw new Error(`config file ${o.config} does not exist`);
    try {
      cfg = JSON.parse(readFileSync(o.config, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new Error(`config file ${o.config}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  for (const s of o.set) cfg = merge(cfg, parseOverride(s));
  if (o.data) cfg = merge(cfg, { data: { dir: o.data } });
  const parsed = sftConfigSchema.safeParse(cfg);
  if (!parsed.success) throw new Error(`sft config${o.config ? ` (${o.config})` : ''}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export async function sftAction(o: SftOptions & { out: string }): Promise<void> {
  const config = resolveSftConfig(o);
  if (o.resume && o.force) throw new Error('--resume and --force exclude each other (continue the run, or replace it)');
  // Before the trainer starts: the output folder, and whether the demonstrations can be made.
  if (!o.resume) checkOutput(o.out, 'run', { force: o.force === true, resumeFlag: '--resume' });
  const { tasks } = loadDatasetTasks(config.data.dir);
  checkTasksFit({ data: config.data.dir, tasks: tasks.get(config.data.split) ?? [], agent: { kind: 'oracle' }, user: { kind: 'scripted' }, fixedBy: 'tarl sft' });
  if (o.force) clearOwnOutput(o.out, 'run');
  const controller = new AbortController();
  const release = onInterrupt(() => controller.abort(new Error('interrupted')), TRAIN_IN_FLIGHT);
  const tty = process.stderr.isTTY;
  let last = 0;
  try {
    const r = await sft({
      config, out: o.out, resume: o.resume === true, signal: controller.signal,
      onProgress: (p) => {
        if (!o.progress) return;
        const line = `sft ${p.stage} step ${p.step}/${p.steps}${p.loss !== undefined ? ` loss ${p.loss.toFixed(4)}` : ''}${p.pass1 !== undefined ? ` pass^1 ${p.pass1.toFixed(3)}` : ''}`;
        if (tty) process.stderr.write(`\r${line}\x1b[K`);
        else if (p.stage !== 'train' || p.step - last >= 25 || p.step === p.steps) {
          process.stderr.write(line + '\n');
          last = p.step;
        }
      },
    });
    if (tty && o.progress) process.stderr.write('\n');
    const end = r.evals.get(config.steps);
    process.stdout.write(`sft: ${config.steps} steps; held-out loss ${end ? end.loss.toFixed(4) : 'n/a'}${end?.policy ? `, pass^1 ${end.policy.pass1.toFixed(3)} (write tasks ${end.policy.pass1Write?.toFixed(3) ?? 'n/a'})` : ''}\ncheckpoint: ${r.finalCheckpoint}\n`);
  } catch (e) {
    if (controller.signal.aborted) {
      process.stderr.write(`\ninterrupted: continue with tarl sft --resume --out ${o.out}\n`);
      process.exitCode = 130;
      return;
    }
    throw e;
  } finally {
    release();
  }
}

