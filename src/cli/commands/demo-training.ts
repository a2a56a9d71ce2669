/**
 * The main job on the embedded default (no API key, no GPU, nothing downloaded): a tiny model
 * learns multi-turn tool use from scratch on the starter world — SFT, then TARL RL — and is
 * measured on held-out tasks before and after (src/demo/pipeline.ts, whose code is imported after
 * the first progress line). Loaded by demo-run.ts once the flags both demos share are checked.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { demoConfigSchema } from '../../demo/config.ts';
import { dataStageProgress, type DemoProgress } from '../../demo/progress.ts';
import type { DemoSpeechSummary, ModalityFigures } from '../../demo/speech.ts';
import { merge, parseOverride } from '../../rl/overrides.ts';
import { speechConfigFromFlags } from '../../voice/config.ts';
import type { DemoOptions } from './demo.ts';

export async function trainingDemo(o: DemoOptions, seed: number): Promise<void> {
  if (o.writeStarter && !o.fromScratch) throw new Error('--write-starter needs --from-scratch (the starter is the SFT checkpoint of a from-scratch run)');
  // --modality & co. are the demo config's speech field; --set speech.* refines them.
  const speech = o.modality !== undefined ? speechConfigFromFlags(o) : undefined;
  let raw: Record<string, unknown> = { seed, ...(o.fromScratch && { from: 'scratch' }), ...(o.writeStarter && { writeStarter: true }), ...(speech && { speech }) };
  for (const s of o.set) raw = merge(raw, parseOverride(s));
  const parsed = demoConfigSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`demo config: ${z.prettifyError(parsed.error)}`);
  const out = o.out ?? `runs/demo-seed${seed}`;
  const started = performance.now();
  const stages = ['data', 'tokenizer', 'sft', 'rl', ...(parsed.data.speech.modality !== 'text' ? ['speech'] : []), 'report'];
  let lastLine = '';
  let stage = { name: '', started: started };
  const onProgress = (p: DemoProgress): void => {
    if (!o.progress) return;
    const elapsed = (performance.now() - started) / 1000;
    const n = stages.indexOf(p.stage) + 1;
    if (p.stage !== stage.name) stage = { name: p.stage, started: performance.now() };
    // The stage's ETA from its own pace so far (stages differ too much for one overall rate).
    const inStage = (performance.now() - stage.started) / 1000;
    const etaSeconds = p.etaSeconds ?? (p.fraction !== undefined && p.fraction > 0.02 && p.fraction < 1 ? (inStage / p.fraction) * (1 - p.fraction) : undefined);
    const eta = etaSeconds !== undefined ? `, stage ETA ${formatSeconds(etaSeconds)}` : '';
    const line = `[demo ${n > 0 ? `${n}/${stages.length} ` : ''}${p.stage}] ${p.detail} (${formatSeconds(elapsed)} elapsed${eta})`;
    if (process.stderr.isTTY) process.stderr.write(`\r${line}\x1b[K`);
    else if (line.replace(/ \([^()]*elapsed[^()]*\)$/, '') !== lastLine) process.stderr.write(line + '\n');
    lastLine = line.replace(/ \([^()]*elapsed[^()]*\)$/, '');
  };
  // Stage 1's line before the pipeline's code loads. The pipeline says it again, which the lines
  // above do not repeat. A speech demo first checks its TTS engine, in the pipeline: its line waits.
  if (parsed.data.speech.modality === 'text' && !existsSync(join(out, 'data', 'manifest.json'))) onProgress(dataStageProgress(parsed.data));
  const { runDemo } = await import('../../demo/pipeline.ts');
  const summary = await runDemo({ config: parsed.data, out, onProgress });
  if (o.progress && process.stderr.isTTY) process.stderr.write('\n');
  const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
  process.stdout.write(
    `\n== TARL demo (seed ${seed}): ${summary.tasks} held-out tasks (${summary.writeTasks} need a write) × ${summary.trials} trials ==\n` +
      `do-nothing floor  pass^1 ${f(summary.floor)}\n` +
      `after SFT         pass^1 ${f(summary.sft.pass1)}   write tasks ${f(summary.sft.pass1_write)}\n` +
      `after SFT + RL    pass^1 ${f(summary.rl.pass1)}   write tasks ${f(summary.rl.pass1_write)}\n` +
      `RL − SFT on write tasks ${summary.delta >= 0 ? '+' : ''}${summary.delta.toFixed(3)}, 95% CI [${summary.ci95[0].toFixed(3)}, ${summary.ci95[1].toFixed(3)}] (paired bootstrap over tasks)\n` +
      (summary.speech ? speechLines(summary.speech) : '') +
      `wall time ${formatSeconds((performance.now() - started) / 1000)}\nreport: ${join(out, 'report.html')}\nfigures: ${join(out, 'demo.json')}\n`,
  );
}

function speechLines(s: DemoSpeechSummary): string {
  const fig = (x: ModalityFigures | undefined): string => (x ? `${x.pass1.toFixed(3)} over ${x.episodes} episodes (floor ${x.floor.toFixed(3)})` : 'n/a');
  const k = s.costs;
  return (
    `speech stage (${s.steps} RL steps, ${s.modality}${s.modality === 'mixed' ? ` ${s.speechRatio}` : ''}, tiny-omni, random: measures cost, not learning)\n` +
    (['text', 'speech'] as const).map((m) => `  held-out ${m.padEnd(6)} pass^1 before ${fig(s.before[m])}, after ${fig(s.after[m])}\n`).join('') +
    (k ? `  per spoken episode: TTS ${k.ttsSecondsPerEpisode.toFixed(3)} s, ${Math.round(k.audioBytesPerEpisode)} audio bytes, ${k.audioSecondsPerEpisode.toFixed(2)} s of audio\n` : '') +
    `  training ${s.trainTokensPerSecond.toFixed(0)} tokens/s, ${(s.audioTokenShare * 100).toFixed(1)}% of them audio\n`
  );
}

function formatSeconds(s: number): string {
  return s < 90 ? `${s.toFixed(0)} s` : `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

