/**
 * The embedded demo, end to end on a CPU: starter world → tokenizer trained on its own episodes →
 * SFT from scratch → TARL RL (oracle judge, scripted user) → held-out eval before and after on
 * tasks of another world → optionally a speech stage (src/demo/speech.ts) → one report and
 * `demo.json`. Each stage writes its own directory under
 * `out/` and is skipped when already complete, so an interrupted demo resumes where it stopped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDataset } from '../dataset/build.ts';
import { loadDataset, type Dataset } from '../dataset/load.ts';
import { starterIdVocabulary } from '../domains/starter/ids.ts';
import { bootstrapDiff } from '../eval/compare.ts';
import { datasetSource } from '../eval/source.ts';
import { summarize } from '../eval/summary.ts';
import type { TrainConfig, TrainConfigInput } from '../rl/config.ts';
import { trainConfigSchema } from '../rl/config.ts';
import { scorePolicy } from '../rl/policy-eval.ts';
import { demonstrations, mathDemos, sft, sftConfigSchema, type SftProgress } from '../rl/sft.ts';
import { train, type TrainProgress } from '../rl/train.ts';
import { readMetricsFile, RunDir, type MetricsLine } from '../run/run-dir.ts';
import type { TrainerProcess } from '../trainer/process.ts';
import { startTrainer } from '../trainer/process.ts';
import { needsWrite } from '../verify/task-writes.ts';
import { speechConfigSchema } from '../voice/config.ts';
import { checkedVoice } from '../voice/setup.ts';
import type { DemoConfig } from './config.ts';
import { dataStageProgress, type DemoProgress } from './progress.ts';
import { renderDemoReport } from './report.ts';
import { runSpeechStage, type DemoSpeechSummary } from './speech.ts';
import { readStarter, writeStarter } from './starter.ts';

/** `demo.json`: the headline figures (held-out, tasks of a world the policy never trained on). */
export interface DemoSummary {
  floor: number;
  sft: { pass1: number; pass1_write: number | null };
  rl: { pass1: number; pass1_write: number | null };
  /** RL − SFT in pass1_write, and its 95% paired bootstrap interval over tasks. */
  delta: number;
  ci95: [number, number];
  tasks: number;
  writeTasks: number;
  trials: number;
  seed: number;
  seconds: Record<string, number>;
  /** `--modality mixed|speech`: the speech stage's figures. */
  speech?: DemoSpeechSummary;
}

/** The demo's RL stage as a train config (bench:learn starts its variants from it too). */
export function demoRlConfig(cfg: DemoConfig, dataDir: string, sftCheckpoint: string): TrainConfigInput {
  return {
    seed: cfg.seed,
    steps: cfg.rl.steps,
    data: { dir: dataDir },
    model: { base: { checkpoint: sftCheckpoint }, threads: cfg.threads },
    sampler: { temperature: cfg.rl.temperature, maxTokens: cfg.rl.maxTokens },
    rollout: { groupSize: cfg.rl.groupSize, concurrency: 128, maxTurns: cfg.rl.maxTurns, maskUnparsed: cfg.rl.maskUnparsed },
    curriculum: { tasksPerStep: cfg.rl.tasksPerStep, math: { ratio: 0.125, levels: [0] }, focus: { by: cfg.rl.focus } },
    optim: { lr: cfg.rl.lr, warmupSteps: cfg.rl.warmupSteps },
    reward: cfg.rl.reward,
    advantage: { group: { stdScale: cfg.rl.stdScale } },
    loss: { klCoef: cfg.rl.klCoef },
    eval: { every: Math.max(1, cfg.rl.steps), tasks: cfg.eval.tasks, trials: cfg.eval.trials, temperature: cfg.eval.temperature, concurrency: 128 },
    checkpoint: { every: 1, keep: 1 },
  };
}

const stamp = (): number => performance.now();
const modelLabel = (cfg: DemoConfig): string => `${cfg.model.layers} layers × ${cfg.model.hidden} (${cfg.model.heads} heads, ${cfg.model.kvHeads} KV), trained from scratch`;

/**
 * Stages 1–3 (the starter world, its tokenizer, SFT from scratch), each skipped when already
 * complete in `out`: what the demo and bench:learn share.
 */
export async function runDemoStages(o: { config: DemoConfig; out: string; service: TrainerProcess | Promise<TrainerProcess>; onProgress?: (p: DemoProgress) => void }): Promise<{ dataDir: string; sftCheckpoint: string; sftMetrics: MetricsLine[]; dataset: Dataset; seconds: Record<string, number> }> {
  const cfg = o.config;
  const say = (p: DemoProgress): void => o.onProgress?.(p);
  const seconds: Record<string, number> = {};
  const dataDir = join(o.out, 'data');
  const tokDir = join(o.out, 'tokenizer');
  const sftDir = join(o.out, 'sft');
  // ---- 1. the starter world and its tasks -----------------------------------------------------
  let t0 = stamp();
  if (!existsSync(join(dataDir, 'manifest.json'))) {
    say(dataStageProgress(cfg));
    generateDataset(dataDir, {
      domain: 'starter', seed: cfg.seed, tasks: cfg.data.trainTasks, dev: 0, test: cfg.data.testTasks, users: cfg.data.users,
      trainWorlds: cfg.data.trainWorlds, singleRequest: cfg.data.singleRequest,
    });
  }
  const dataset = loadDataset(dataDir);
  seconds.data = (stamp() - t0) / 1000;

  if (cfg.from === 'starter') {
    // ---- 2–3. the shipped SFT checkpoint, verified (format version, sha256 of every file) ----------
    say({ stage: 'sft', detail: 'verifying the shipped starter checkpoint' });
    const starter = readStarter(cfg.starterDir);
    return { dataDir, sftCheckpoint: starter.checkpoint, sftMetrics: readMetricsFile(starter.metrics), dataset, seconds };
  }

  // The service may still be starting (runDemo starts it beside stage 1); stages 2–3 need it.
  const service = await o.service;

  // ---- 2. a tokenizer trained on the demo's own episodes (each id one token) -------------------------
  t0 = stamp();
  if (!existsSync(join(tokDir, 'tokenizer.json'))) {
    say({ stage: 'tokenizer', detail: `training a ${cfg.tokenizer.vocab}-token BPE on ${cfg.tokenizer.demos} oracle episodes` });
    const source = datasetSource(dataset, 'train', [...Array(Math.min(cfg.tokenizer.demos, cfg.data.trainTasks)).keys()]);
    const demos = await demonstrations(source, cfg.seed);
    await service.client.trainTokenizer({
      conversations: [...demos.map((d) => ({ messages: d.messages, tools: [...dataset.tools] })), ...mathDemos(cfg.seed, 0, 200)],
      vocab_size: cfg.tokenizer.vocab,
      added_tokens: starterIdVocabulary(),
      split_digits: cfg.tokenizer.splitDigits,
      out: tokDir,
    });
  }
  seconds.tokenizer = (stamp() - t0) / 1000;

  // ---- 3. SFT from scratch ------------------------------------------------------------------------
  t0 = stamp();
  const sftConfig = sftConfigSchema.parse({
    seed: cfg.seed,
    steps: cfg.sft.steps,
    data: { dir: dataDir, split: 'train', math: { count: Math.round(cfg.data.trainTasks / 10), level: 0 } },
    model: { base: { scratch: { layers: cfg.model.layers, hidden: cfg.model.hidden, heads: cfg.model.heads, kv_heads: cfg.model.kvHeads, max_positions: cfg.model.maxPositions }, tokenizer: tokDir }, threads: cfg.threads },
    optim: { lr: cfg.sft.lr, batchTokens: cfg.sft.batchTokens, schedule: cfg.sft.schedule },
    eval: { every: 0, tasks: cfg.eval.tasks, pass1: false },
    checkpoint: { every: 50, keep: 1 },
  });
  const sftDone = RunDir.exists(sftDir) && RunDir.open(sftDir).latestCheckpoint()?.state.step === cfg.sft.steps;
  if (!sftDone) {
    await sft({
      config: sftConfig, out: sftDir, resume: RunDir.exists(sftDir), service,
      onProgress: (p: SftProgress) => say({ stage: 'sft', detail: `step ${p.step}/${p.steps}${p.loss !== undefined ? ` loss ${p.loss.toFixed(3)}` : ''}`, fraction: p.step / p.steps }),
    });
  }
  seconds.sft = (stamp() - t0) / 1000;
  const sftCheckpoint = RunDir.open(sftDir).checkpointPath(cfg.sft.steps);
  if (cfg.writeStarter) {
    const dir = writeStarter({
      checkpoint: sftCheckpoint, metrics: join(sftDir, 'metrics.jsonl'), ...(cfg.starterDir !== undefined && { dir: cfg.starterDir }),
      build: {
        command: `tarl demo --from-scratch --write-starter --seed ${cfg.seed} --set sft.steps=${cfg.sft.steps} --set sft.lr=${cfg.sft.lr} --set sft.schedule=${cfg.sft.schedule} --set sft.batchTokens=${cfg.sft.batchTokens}`,
        seed: cfg.seed, sftSteps: cfg.sft.steps, seconds: Math.round(seconds.sft), model: modelLabel(cfg), date: new Date().toISOString(),
      },
    });
    say({ stage: 'sft', detail: `starter written to ${dir}` });
  }

  return { dataDir, sftCheckpoint, sftMetrics: RunDir.open(sftDir).metrics(), dataset, seconds };
}

export async function runDemo(o: { config: DemoConfig; out: string; onProgress?: (p: DemoProgress) => void; service?: TrainerProcess }): Promise<DemoSummary> {
  const cfg = o.config;
  const say = (p: DemoProgress): void => o.onProgress?.(p);
  const seconds: Record<string, number> = {};
  const rlDir = join(o.out, 'rl');
  // A missing TTS engine fails now (naming the install command), not after the text RL.
  if (cfg.speech.modality !== 'text') await checkedVoice(speechConfigSchema.parse({ modality: cfg.speech.modality, voice: cfg.speech.voice }));
  // The trainer service (a Python process importing torch: seconds) starts while stage 1 makes the
  // data, so the first progress line comes at once. A failure to start is reported where it is
  // awaited; the handler only keeps it from counting as unhandled meanwhile.
  const starting = o.service ? Promise.resolve(o.service) : startTrainer({ threads: cfg.threads });
  starting.catch(() => {});
  try {
    const { dataDir, sftCheckpoint, sftMetrics, dataset, seconds: stageSeconds } = await runDemoStages({ config: cfg, out: o.out, service: starting, onProgress: say });
    Object.assign(seconds, stageSeconds);
    const service = await starting;

    // ---- 4. TARL RL from the SFT checkpoint, evaluated before and after ------------------------------
    const t0 = stamp();
    const rlConfig: TrainConfig = trainConfigSchema.parse(demoRlConfig(cfg, dataDir, sftCheckpoint));
    const rlRun = RunDir.exists(rlDir) ? RunDir.open(rlDir) : undefined;
    const rlDone = rlRun?.metrics().some((l) => l.step === cfg.rl.steps && l['eval/pass1'] !== undefined) ?? false;
    if (!rlDone) {
      // ETA: the steps left at the pace so far, plus one more held-out eval as long as the first took.
      let evalStarted: number | undefined;
      let evalSeconds: number | undefined;
      let lastEta: { seconds: number; at: number } | undefined;
      await train({
        config: rlConfig, out: rlDir, resume: rlRun !== undefined, service,
        onProgress: (p: TrainProgress) => {
          if (p.stage === 'eval' && p.pass1 === undefined) evalStarted ??= stamp();
          if (p.stage === 'eval' && p.pass1 !== undefined && evalStarted !== undefined) evalSeconds ??= (stamp() - evalStarted) / 1000;
          if (p.stepSeconds !== undefined && evalSeconds !== undefined) lastEta = { seconds: p.stepSeconds * (p.steps - p.step) + evalSeconds, at: stamp() }; // the final eval follows the last update
          // Between updates the last estimate counts down (a fraction-of-steps guess would count the first eval as a step's pace).
          const eta = lastEta && Math.max(0, lastEta.seconds - (stamp() - lastEta.at) / 1000);
          say({
            stage: 'rl', detail: `${p.stage} step ${p.step}/${p.steps}${p.reward !== undefined ? ` reward ${p.reward.toFixed(3)}` : ''}${p.pass1 !== undefined ? ` pass^1 ${p.pass1.toFixed(3)}` : ''}`,
            fraction: p.step / Math.max(1, p.steps), ...(eta !== undefined && { etaSeconds: eta }),
          });
        },
      });
    }
    seconds.rl = (stamp() - t0) / 1000;

    // ---- 4b. the speech stage (--modality mixed|speech) ----------------------------------------------
    let speech: DemoSpeechSummary | undefined;
    if (cfg.speech.modality !== 'text') {
      const tSpeech = stamp();
      speech = await runSpeechStage({
        config: cfg, dataDir, dataset, dir: join(o.out, 'speech'), service,
        onProgress: (p: TrainProgress) => say({
          stage: 'speech', detail: `${p.stage} step ${p.step}/${p.steps}${p.reward !== undefined ? ` reward ${p.reward.toFixed(3)}` : ''}${p.pass1 !== undefined ? ` pass^1 ${p.pass1.toFixed(3)}` : ''}`,
          fraction: p.step / Math.max(1, p.steps),
        }),
      });
      seconds.speech = (stamp() - tSpeech) / 1000;
    }

    // ---- 5. the figures and the report ------------------------------------------------------------------
    say({ stage: 'report', detail: 'held-out comparison and report' });
    const testTasks = (dataset.tasks.get('test') ?? []).slice(0, cfg.eval.tasks);
    const evalOf = (step: number) => {
      const run = RunDir.open(join(rlDir, 'evals', `step-${step}`));
      const episodes = run.episodes().episodes;
      return { episodes, summary: summarize(episodes, testTasks.map((t) => t.id), cfg.eval.trials), ...scorePolicy(episodes, testTasks, cfg.eval.trials) };
    };
    const before = evalOf(0);
    const after = evalOf(cfg.rl.steps);
    const write = testTasks.filter(needsWrite).map((t) => t.id);
    const onlyWrite = (s: ReturnType<typeof evalOf>) => s.summary.perTask.filter((t) => write.includes(t.taskId));
    let seed = cfg.seed + 1;
    const rand = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    const diff = bootstrapDiff(onlyWrite(before), onlyWrite(after), rand, 10_000);
    const summary: DemoSummary = {
      floor: before.floor,
      sft: { pass1: before.pass1, pass1_write: before.pass1Write },
      rl: { pass1: after.pass1, pass1_write: after.pass1Write },
      delta: diff.delta,
      ci95: diff.ci,
      tasks: testTasks.length,
      writeTasks: write.length,
      trials: cfg.eval.trials,
      seed: cfg.seed,
      seconds,
      ...(speech && { speech }),
    };
    writeFileSync(join(o.out, 'demo.json'), JSON.stringify(summary, null, 2) + '\n');
    writeFileSync(
      join(o.out, 'report.html'),
      renderDemoReport({
        title: `TARL demo — starter world, seed ${cfg.seed}`,
        meta: { model: modelLabel(cfg), sft: cfg.from === 'starter' ? 'the shipped starter checkpoint (starter/starter.json says how it was built)' : `${cfg.sft.steps} steps`, rl: `${cfg.rl.steps} steps of TARL-GRPO, G = ${cfg.rl.groupSize}, ${cfg.rl.tasksPerStep} tasks per step`, 'held-out tasks': `${testTasks.length} (${write.length} need a write) × ${cfg.eval.trials} trials at T = ${cfg.eval.temperature}` },
        sftMetrics,
        rlMetrics: RunDir.open(rlDir).metrics(),
        before: { label: 'SFT', summary: before.summary, pass1: before.pass1, pass1Write: before.pass1Write },
        after: { label: 'SFT + RL', summary: after.summary, pass1: after.pass1, pass1Write: after.pass1Write },
        floor: before.floor,
        diff,
        perTask: write.map((id) => ({ label: id, value: (after.perTask.get(id) ?? 0) - (before.perTask.get(id) ?? 0) })).sort((a, b) => b.value - a.value),
        episodes: after.episodes.slice(0, 60),
        timings: seconds,
        ...(speech && { speech: { summary: speech, metrics: RunDir.open(join(o.out, 'speech')).metrics() } }),
      }),
    );
    say({ stage: 'done', detail: join(o.out, 'report.html') });
    return summary;
  } finally {
    if (!o.service) await (await starting.catch(() => undefined))?.stop();
  }
}

/** A completed demo's figures, when `out/demo.json` exists. */
export function readDemoSummary(out: string): DemoSummary | undefined {
  const p = join(out, 'demo.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as DemoSummary) : undefined;
}
