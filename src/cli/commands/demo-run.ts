/** What `tarl demo` does, loaded only when it runs (the options live in demo.ts). */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { createAgent } from '../../agents/registry.ts';
import { generateDataset } from '../../dataset/build.ts';
import { loadDataset } from '../../dataset/load.ts';
import type { Task } from '../../dataset/task.ts';
import { runEval } from '../../eval/run-eval.ts';
import { datasetSource, flawedAgentFor } from '../../eval/source.ts';
import { summarize } from '../../eval/summary.ts';
import { doNothingFloor } from '../../eval/floor.ts';
import { formatSummary, writeEvalOutputs } from '../../eval/write-results.ts';
import { judgeRun } from '../../judge/judge-run.ts';
import { OracleJudge } from '../../judge/oracle-judge.ts';
import { evalRunManifest } from '../../run/provenance.ts';
import { RunDir } from '../../run/run-dir.ts';
import { checkOutput, clearOwnOutput } from '../../run/output-dir.ts';
import { demoConfigSchema } from '../../demo/config.ts';
import { runDemo, type DemoProgress } from '../../demo/pipeline.ts';
import type { DemoSpeechSummary, ModalityFigures } from '../../demo/speech.ts';
import { merge, parseOverride } from '../../rl/presets.ts';
import { createUser } from '../../users/registry.ts';
import { speechConfigFromFlags } from '../../voice/setup.ts';
import type { DemoOptions } from './demo.ts';

/**
 * `tarl demo --eval-only`: generate a world and tasks, evaluate the oracle and the flawed agent
 * against the scripted user, and adjudicate every turn of the flawed run with the oracle judge —
 * a whole TARL evaluation in seconds, with reports to open.
 */
async function evalOnlyDemo(o: DemoOptions & { out: string }): Promise<void> {
  const seed = Number(o.seed);
  const trials = Number(o.trials);
  const nTasks = Number(o.tasks);
  const data = join(o.out, `data-${o.domain}`);
  if (!existsSync(join(data, 'manifest.json'))) {
    process.stdout.write(`generating a ${o.domain} world and ${nTasks} test tasks (seed ${seed}) → ${data}\n`);
    generateDataset(data, { domain: o.domain, seed, tasks: nTasks, dev: 0, test: nTasks });
  }
  const ds = loadDataset(data);
  const source = datasetSource(ds, 'test');
  const tasks = new Map<string, Task>(source.tasks.map((t) => [t.id, t]));
  for (const agentName of ['oracle', 'flawed'] as const) {
    const dir = join(o.out, `eval-${o.domain}-${agentName}`);
    clearOwnOutput(dir, 'run'); // each demo run starts afresh; a folder that is not a run is refused by RunDir.create
    const config = { command: 'demo', data, split: 'test', tasks: 'all', trials, seed, agent: agentName, user: 'scripted' };
    const run = RunDir.create(dir, evalRunManifest({ config, dataset: ds, seed }));
    const started = performance.now();
    const { summary, episodes } = await runEval({ run, source, agent: agentName === 'flawed' ? flawedAgentFor(source) : createAgent({ kind: agentName }), user: createUser('scripted'), trials, concurrency: 8, seed });
    const secs = (performance.now() - started) / 1000;
    const judged = await judgeRun(run, { judge: new OracleJudge(), tasks, policy: ds.policy, concurrency: 8 });
    const final = run.episodes().episodes;
    writeEvalOutputs(run, summarize(final, source.tasks.map((t) => t.id), trials), final, source.tasks, true, doNothingFloor(source));
    const neg = final.reduce((n, e) => n + (e.judge?.verdicts.filter((v) => v.score === -1).length ?? 0), 0);
    process.stdout.write(
      `\n== ${agentName} agent + scripted user on ${o.domain}: ${episodes.length} episodes in ${secs.toFixed(1)} s ==\n${formatSummary(summary)}\n` +
        `oracle judge: ${judged.judged} episodes adjudicated, ${neg} turns scored -1\nreport: ${run.path('report.html')}\n`,
    );
  }
}

/**
 * The main job on the embedded default (no API key, no GPU, nothing downloaded): a tiny model
 * learns multi-turn tool use from scratch on the starter world — SFT, then TARL RL — and is
 * measured on held-out tasks before and after (src/demo/pipeline.ts).
 */
export async function demo(o: DemoOptions): Promise<void> {
  const seed = Number(o.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer (got '${o.seed}')`);
  if (o.modality === undefined && (o.speechRatio !== undefined || o.voice !== undefined || o.sendTranscript)) {
    throw new Error('--speech-ratio, --voice and --send-transcript need --modality mixed or speech');
  }
  if (o.evalOnly && o.modality !== undefined) throw new Error('--modality is for the training demo (for a spoken evaluation: tarl eval --modality)');
  // The demo resumes from what an earlier demo left in its folder; any other non-empty folder is refused.
  checkOutput(o.out ?? (o.evalOnly ? 'runs/demo-eval' : `runs/demo-seed${seed}`), 'demo', { resume: true });
  if (o.evalOnly) return evalOnlyDemo({ ...o, out: o.out ?? 'runs/demo-eval' });
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
  const summary = await runDemo({
    config: parsed.data,
    out,
    onProgress: (p: DemoProgress) => {
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
    },
  });
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

