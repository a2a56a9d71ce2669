/**
 * The RL loop of `tarl train`, top to bottom (CleanRL's `ppo.py` is the model). One step:
 *
 *   1. curriculum   draw the step's tasks (tool-use tasks of the train split, math problems)
 *   2. rollouts     G episodes per task with the token-native policy, then the turn judge
 *   3. credit       reward shaping → trajectory rewards → advantages (the configured estimator)
 *   4. tokens       each rollout's sampled tokens with their advantages; masks on everything else
 *   5. trainer view log-probs recomputed by the trainer when the sampler is another engine
 *                   (mismatch: truncated IS, sequence masking); the critic's values for GAE
 *   6. update       PPO epochs over minibatches: forward_backward, optim_step
 *   7. record       rollouts and one metrics line; checkpoint; held-out eval every N steps
 *
 * `step` counts completed updates: the rollouts of step s are sampled from the weights after s
 * updates, an eval at step s measures those weights, and `checkpoints/s` holds them. With
 * `async.enabled` (rollout-stream.ts), phases 1–2 run ahead while the step trains: a step takes
 * groups sampled up to `async.maxOffPolicySteps` updates earlier, and phase 5 always recomputes
 * log-probs, so the sampling log-probs enter only through the truncated importance weights.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PolicyAgent, type PolicyCounters } from '../agents/policy.ts';
import { loadDataset } from '../dataset/load.ts';
import { datasetSource } from '../eval/source.ts';
import { createJudge } from '../judge/from-spec.ts';
import type { Judge } from '../judge/judge.ts';
import { modelSpecFromConfig } from '../llm/model-spec.ts';
import { RunDir } from '../run/run-dir.ts';
import type { TrainerProcess } from '../trainer/process.ts';
import { datumFromSequence, type LossConfig } from '../trainer/types.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import { createUser } from '../users/registry.ts';
import type { TrainConfig } from './config.ts';
import { assertSameConfig, saveCheckpoint } from './checkpoints.ts';
import { assignCredit } from './credit.ts';
import { drawStep, kindOf, kindTallies, mathRatio } from './curriculum.ts';
import { gaeOverMask, whiten } from './gae.ts';
import { correctMismatch } from './mismatch.ts';
import { evaluatePolicy, type PolicyEvalResult } from './policy-eval.ts';
import { collectRollouts, type Group, type RolloutContext } from './rollouts.ts';
import { RolloutStream } from './rollout-stream.ts';
import { limiter } from '../util/pool.ts';
import { startRuntime } from './runtime.ts';
import { StepMetrics, rolloutMetrics } from './step-metrics.ts';
import { rlModels, trainManifest } from './train-manifest.ts';
import { audioOf, buildItems, minibatches, toData, turnRewardsOnTokens, type TrainItem } from './train-batch.ts';
import { episodeTokens } from './episode-tokens.ts';
import { modalityMetrics } from './modality-metrics.ts';
import { checkedVoice, runSpeech } from '../voice/setup.ts';
import type { AudioSource } from '../voice/store.ts';

export interface TrainProgress {
  stage: 'eval' | 'rollouts' | 'update' | 'done';
  step: number;
  steps: number;
  reward?: number;
  pass1?: number;
  /** Seconds per step so far, held-out evals left out (for an ETA). */
  stepSeconds?: number;
}

export interface TrainOptions {
  config: TrainConfig;
  out: string;
  /** Continue the run in `out` from its last checkpoint. */
  resume?: boolean;
  /** A running trainer service to use (tests, benches); default: start one. */
  service?: TrainerProcess;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
}

export interface TrainResult {
  run: RunDir;
  steps: number;
  /** Held-out evals by step. */
  evals: Map<number, PolicyEvalResult>;
  finalCheckpoint: string;
}

export async function train(o: TrainOptions): Promise<TrainResult> {
  const cfg = o.config;
  const progress = (p: Omit<TrainProgress, 'steps'>): void => o.onProgress?.({ ...p, steps: cfg.steps });

  // ---- setup: dataset, run directory, policy ------------------------------------------------
  const dataset = loadDataset(cfg.data.dir);
  const trainTasks = dataset.tasks.get(cfg.data.split);
  if (!trainTasks) throw new Error(`dataset ${cfg.data.dir} has no split '${cfg.data.split}'`);
  const source = datasetSource(dataset, cfg.data.split);
  const evalAll = dataset.tasks.get(cfg.eval.split);
  if (cfg.eval.every > 0 && !evalAll) throw new Error(`dataset ${cfg.data.dir} has no eval split '${cfg.eval.split}'`);
  const evalSource = evalAll ? datasetSource(dataset, cfg.eval.split, [...Array(Math.min(cfg.eval.tasks, evalAll.length)).keys()]) : undefined;

  // Speech (docs/speech.md): a missing TTS engine fails here, before the run directory exists.
  const voice = cfg.speech ? await checkedVoice(cfg.speech) : undefined;
  if (voice && cfg.sampler.kind !== 'service') throw new Error('speech: sampler.kind must be "service" (a completions server takes token ids, not audio)');
  const run = o.resume ? RunDir.open(o.out) : RunDir.create(o.out, trainManifest('train', cfg, dataset, rlModels(cfg)));
  const speech = cfg.speech && voice ? await runSpeech(cfg.speech, run.dir, voice) : undefined;
  const audio: AudioSource | undefined = speech?.store;
  if (o.resume) assertSameConfig(run, cfg);
  const resumeFrom = o.resume ? run.latestCheckpoint() : undefined;
  const start = resumeFrom?.state.step ?? 0;
  if (o.resume) run.truncateSteps(start); // a step redone after a crash is never counted twice

  const runtime = await startRuntime({
    model: cfg.model.base, lora: cfg.model.lora, dtype: cfg.model.dtype, device: cfg.model.device, critic: cfg.model.critic, threads: cfg.model.threads,
    nproc: cfg.model.nproc, gradientCheckpointing: cfg.model.gradientCheckpointing,
    kvCacheTokens: cfg.model.kvCacheTokens, trainAudioTower: cfg.model.trainAudioTower, seed: cfg.seed, reference: cfg.loss.klCoef > 0, sampler: cfg.sampler,
    optimizer: {
      lr: cfg.optim.lr, grad_clip: cfg.optim.gradClip, weight_decay: cfg.optim.weightDecay,
      schedule: { kind: cfg.optim.schedule, warmup_steps: cfg.optim.warmupSteps, total_steps: cfg.steps * cfg.optim.epochs * cfg.optim.minibatches },
    },
    ...(o.service && { service: o.service }),
  });
  const { client, sessionId } = runtime;
  const evals = new Map<number, PolicyEvalResult>();
  const log = run.episodeLog();
  let stream: RolloutStream | undefined;
  try {
    await client.exportTokenizer(sessionId, run.path('tokenizer.json')); // for tarl view
    if (resumeFrom) await client.load(sessionId, resumeFrom.path, true);
    if (runtime.external) await publishWeights(runtime, run, start, cfg.model.lora !== null);
    const baseUser = createUser(cfg.rollout.user);
    const user = speech ? speech.wrap(baseUser) : baseUser;
    const judge = timed(createJudge(modelSpecFromConfig(cfg.rollout.judge)));
    const agent = new PolicyAgent(runtime.renderer, runtime.sampler, { temperature: cfg.sampler.temperature, topP: cfg.sampler.topP, maxTokens: cfg.sampler.maxTokens });
    const lossCfg: LossConfig = {
      kind: cfg.loss.kind, clip_low: cfg.loss.clipLow, clip_high: cfg.loss.clipHigh, dual_clip: cfg.loss.dualClip, kl_coef: cfg.loss.klIn === 'loss' ? cfg.loss.klCoef : 0,
      kl_estimator: cfg.loss.klEstimator, entropy_coef: cfg.loss.entropyCoef, normalize: 'sum',
      ...(cfg.advantage.estimator === 'gae' && { value_coef: cfg.loss.valueCoef, value_clip: cfg.loss.valueClip }),
    };
    let evalSeconds = 0; // held-out evals' share of the wall time, left out of the step pace
    const heldOut = async (step: number): Promise<Record<string, number>> => {
      if (!evalSource || cfg.eval.every === 0) return {};
      const tEval = performance.now();
      progress({ stage: 'eval', step });
      const r = await evaluatePolicy({
        runtime, dataset, source: evalSource, user: baseUser, dir: run.path(join('evals', `step-${step}`)), trials: cfg.eval.trials, temperature: cfg.eval.temperature,
        ...(cfg.speech && voice && { speech: { config: cfg.speech, voice } }),
        maxTokens: cfg.sampler.maxTokens, concurrency: cfg.eval.concurrency, maxTurns: cfg.rollout.maxTurns, seed: cfg.seed,
        config: { command: 'train-eval', step, split: cfg.eval.split, tasks: cfg.eval.tasks, trials: cfg.eval.trials, temperature: cfg.eval.temperature },
        ...(o.signal && { signal: o.signal }),
      });
      evals.set(step, r);
      evalSeconds += (performance.now() - tEval) / 1000;
      progress({ stage: 'eval', step, pass1: r.pass1 });
      return { 'eval/pass1': r.pass1, 'eval/floor': r.floor, ...(r.pass1Write !== null && { 'eval/pass1_write': r.pass1Write }), 'eval/mean_turns': r.summary.stepsPerEpisode.mean ?? 0 };
    };
    const rolloutCtx = (step: number, signal?: AbortSignal): RolloutContext => ({
      source, agent, user, judge, groupSize: cfg.rollout.groupSize, concurrency: cfg.rollout.concurrency, maxTurns: cfg.rollout.maxTurns,
      seed: cfg.seed, step, ...(signal && { signal }), ...(speech && { audio: speech.audio }),
    });
    // Asynchronous rollouts: groups of later steps are sampled while a step trains, all of them
    // sharing the episode limit of rollout.concurrency.
    const limit = limiter(cfg.rollout.concurrency);
    stream = cfg.async.enabled
      ? new RolloutStream({
          tasksPerStep: cfg.curriculum.tasksPerStep, maxOffPolicySteps: cfg.async.maxOffPolicySteps, start, end: cfg.steps,
          drawsFor: (j) => drawStep(cfg.curriculum, trainTasks, cfg.seed, j),
          runGroup: async (d, signal) => (await collectRollouts([d.draw], { ...rolloutCtx(d.drawStep, signal), limit }))[0]!,
          ...(o.signal && { signal: o.signal }),
        })
      : undefined;
    const started = performance.now();
    // curriculum.focus 'kind': the outcomes its weights come from, read back from the log on resume.
    const focus = cfg.curriculum.focus.by === 'kind';
    const kindById = new Map(focus ? trainTasks.map((t) => [t.id, kindOf(t)]) : []);
    let outcomes = focus ? run.episodes().episodes.filter((e) => e.step !== undefined && e.step >= start - cfg.curriculum.focus.window).map((e) => ({ step: e.step, taskId: e.taskId, reward: e.reward })) : [];

    for (let step = start; step < cfg.steps; step++) {
      o.signal?.throwIfAborted();
      const m = new StepMetrics();
      const tStep = performance.now();
      if (step % Math.max(1, cfg.eval.every) === 0 && (step > 0 || cfg.eval.atStart)) m.add(await heldOut(step));

      // ---- 1. curriculum (asynchronous: drawn by the stream when it launched the groups) ------------
      // ---- 2. rollouts and turn judging ---------------------------------------------------------
      progress({ stage: 'rollouts', step });
      const counters0 = { ...agent.counters };
      const calls0 = { ...runtime.sampler.stats };
      judge.seconds = 0;
      const tRollout = performance.now();
      let groups: Group[];
      if (stream) {
        const taken = await stream.take();
        groups = taken.groups;
        const staleness_G = taken.groups.map((g) => step - g.version);
        m.add({ 'async/stale_groups': taken.stale.length, 'async/staleness_mean': staleness_G.reduce((a, b) => a + b, 0) / staleness_G.length, 'async/staleness_max': Math.max(...staleness_G) });
        recordAsync(taken.groups, step);
      } else {
        const tallies = focus ? kindTallies(outcomes, kindById, step, cfg.curriculum.focus.window) : undefined;
        groups = await collectRollouts(drawStep(cfg.curriculum, trainTasks, cfg.seed, step, tallies), rolloutCtx(step, o.signal));
        if (focus) {
          // Only the window before the next step is ever tallied again.
          outcomes = outcomes.filter((e) => e.step !== undefined && e.step >= step + 1 - cfg.curriculum.focus.window);
          for (const g of groups) if (g.draw.kind === 'tool') for (const t of g.rollouts) outcomes.push({ step, taskId: t.taskId, reward: t.reward });
        }
      }
      const draws = groups.map((g) => g.draw);
      m.add({ 'curriculum/math_ratio': mathRatio(cfg.curriculum, step), 'curriculum/math_tasks': draws.filter((d) => d.kind === 'math').length, 'curriculum/tool_tasks': draws.filter((d) => d.kind === 'tool').length });
      if (focus) {
        const perKind: Record<string, number> = {};
        for (const d of draws) {
          if (d.kind !== 'tool') continue;
          const key = `curriculum/kind/${kindOf(d.task) || 'none'}`;
          perKind[key] = (perKind[key] ?? 0) + 1;
        }
        m.add(perKind);
      }
      const rolloutSeconds = (performance.now() - tRollout) / 1000;
      const rollouts_GI = groups.map((g) => g.rollouts);

      // ---- 3. credit: rewards (minus the KL penalty, when it goes in the reward) and advantages -----
      let penalties_GI: number[][] | undefined;
      if (cfg.loss.klCoef > 0 && cfg.loss.klIn === 'reward') {
        const kl = await klToReference(client, sessionId, rollouts_GI, cfg.sampler.temperature, audio);
        penalties_GI = kl.map((row) => row.map((x) => cfg.loss.klCoef * x));
        m.add({ 'kl/ref_reward': kl.flat().reduce((a, b) => a + b, 0) / Math.max(1, kl.flat().length) });
      }
      const credit = assignCredit(rollouts_GI, cfg.reward, cfg.advantage, penalties_GI);

      // ---- 4. tokens --------------------------------------------------------------------------
      const built = buildItems(rollouts_GI, credit.credits, { maskUnparsed: cfg.rollout.maskUnparsed });
      const items = built.items.filter((it) => it.seq.mask_T.some((x) => x > 0));

      // ---- 5. the trainer's view: recomputed log-probs (mismatch), values (GAE) ---------------------
      const tTrain = performance.now();
      // Off-policy data (another engine, or groups sampled before the last updates) gets the trainer's
      // log-probs as π_old; the sampling log-probs then enter only through the truncated IS weights.
      const recompute = cfg.mismatch.recompute === 'always' || (cfg.mismatch.recompute === 'auto' && (runtime.external || cfg.async.enabled));
      let multipliers_DT: number[][] | undefined;
      if (items.length > 0 && (recompute || cfg.advantage.estimator === 'gae')) {
        const fwd = await client.forward(sessionId, toData(items, cfg.aggregation, undefined, audio), { temperature: cfg.sampler.temperature, values: cfg.advantage.estimator === 'gae' });
        const trainLogp_DT = fwd.logprobs.map((lp) => [0, ...lp]); // back to token index T
        const mm = correctMismatch({ trainLogp_DT, sampleLogp_DT: items.map((it) => it.seq.logprobs_T), masks_DT: items.map((it) => it.seq.mask_T) }, cfg.mismatch);
        m.add({ 'kl/sampler_trainer': mm.kl, 'ppo/sampler_ratio_mean': mm.meanRatio, 'ppo/sampler_max_abs_dev': mm.maxAbsDev, 'ppo/masked_sequences': mm.maskedSequences });
        if (recompute) {
          items.forEach((it, d) => (it.oldLogprobs_T = trainLogp_DT[d]!));
          multipliers_DT = mm.multipliers_DT;
        }
        if (cfg.advantage.estimator === 'gae') assignGae(items, fwd.values ?? [], credit.credits, cfg);
      }

      // ---- 6. update: PPO epochs over minibatches ----------------------------------------------------
      progress({ stage: 'update', step });
      const fb: Record<string, number>[] = [];
      const opt: Record<string, number>[] = [];
      const clock = { fb: 0, optim: 0 };
      for (let epoch = 0; epoch < cfg.optim.epochs && items.length > 0; epoch++) {
        for (const mb of minibatches(items.map((it, d) => ({ it, d })), cfg.optim.minibatches, `minibatch/${cfg.seed}/${step}/${epoch}`)) {
          const mult = multipliers_DT ? mb.map(({ d }) => multipliers_DT![d]!) : undefined;
          let t = performance.now();
          const res = await client.forwardBackward(sessionId, toData(mb.map(({ it }) => it), cfg.aggregation, mult, audio), lossCfg, cfg.sampler.temperature);
          clock.fb += performance.now() - t;
          // On-policy, the first minibatch's ratio must be 1 for every token (tokenisation drift,
          // temperature mismatch, padding and position bugs all show up here first).
          if (fb.length === 0) m.add({ 'ppo/ratio_max_abs_dev': res.metrics['ppo/ratio_max_abs_dev'] ?? NaN });
          fb.push(res.metrics);
          t = performance.now();
          opt.push((await client.optimStep(sessionId)).metrics);
          clock.optim += performance.now() - t;
        }
      }
      if (runtime.external) await publishWeights(runtime, run, step + 1, cfg.model.lora !== null);
      stream?.advance(); // the sampler now serves version step + 1
      const trainSeconds = (performance.now() - tTrain) / 1000;

      // ---- 7. record: rollouts, metrics line, checkpoint ------------------------------------------
      groups.forEach((g, gi) =>
        g.rollouts.forEach((t, i) => {
          const c = credit.credits[gi]![i]!;
          t.rl = { reward: c.reward, advantages_K: c.advantages_K, kept: c.kept, trainTokens: items.filter((it) => it.from.group === gi && it.from.sample === i).reduce((a, it) => a + it.seq.mask_T.reduce((x, y) => x + y, 0), 0) };
        }),
      );
      await Promise.all(rollouts_GI.flat().map((t) => log.append(t)));
      m.add(rolloutMetrics(rollouts_GI, credit));
      m.add(modalityMetrics(rollouts_GI, credit, items));
      m.add(policyMetrics(counters0, agent.counters, runtime.sampler.stats, calls0, built.prefixBreaks));
      m.mean(fb, ['loss/', 'ppo/clip_frac', 'ppo/dual_clip_frac', 'ppo/approx_kl', 'ppo/ratio_mean', 'kl/', 'entropy', 'value/']);
      m.mean(opt, ['grad_norm', 'lr'], 'optim/');
      const trainTokens = items.reduce((a, it) => a + it.seq.ids_T.length, 0);
      const sampled = rollouts_GI.flat().reduce((a, t) => a + t.steps.reduce((b, s) => b + (s.tokens?.completionIds.length ?? 0), 0), 0);
      m.add({
        'perf/step_s': (performance.now() - tStep) / 1000, 'perf/rollout_s': rolloutSeconds, 'perf/judge_s': judge.seconds, 'perf/train_s': trainSeconds,
        'perf/fb_s': clock.fb / 1000, 'perf/optim_s': clock.optim / 1000, 'perf/sample_tokens': sampled, 'perf/sample_tokens_per_s': rolloutSeconds > 0 ? sampled / rolloutSeconds : 0,
        'perf/train_tokens': trainTokens, 'perf/train_tokens_per_s': clock.fb > 0 ? trainTokens / (clock.fb / 1000) : 0, 'perf/items': items.length,
        'perf/missing_tokens': built.missingTokens,
      });
      run.appendMetrics(step, m.values());
      await saveCheckpoint(run, client, sessionId, { step: step + 1, steps: cfg.steps, seed: cfg.seed, every: cfg.checkpoint.every, keep: cfg.checkpoint.keep });
      const reward = m.values()['reward/mean'];
      progress({ stage: 'update', step: step + 1, ...(reward !== undefined && { reward }), stepSeconds: ((performance.now() - started) / 1000 - evalSeconds) / (step + 1 - start) });
    }

    await stream?.close(); // every step has its groups: nothing else samples during the final eval
    if (cfg.eval.every > 0 && !run.metrics().some((l) => l.step === cfg.steps)) run.appendMetrics(cfg.steps, await heldOut(cfg.steps));
    progress({ stage: 'done', step: cfg.steps });
    return { run, steps: cfg.steps, evals, finalCheckpoint: run.checkpointPath(cfg.steps) };
  } finally {
    await stream?.close();
    log.close();
    await runtime.stop();
  }
}

/**
 * Asynchronous groups are recorded under the step that trained them, with the version that sampled
 * them; a task taken twice in one step (a requeued draw beside a new one) numbers its second
 * group's samples after the first's, so every (step, task, sample) key stays unique.
 */
function recordAsync(groups: readonly (Group & { version: number })[], step: number): void {
  const seen = new Map<string, number>();
  for (const g of groups) {
    const k = seen.get(g.draw.task.id) ?? 0;
    seen.set(g.draw.task.id, k + 1);
    g.rollouts.forEach((t, i) => {
      t.step = step;
      t.trial = k * g.rollouts.length + i;
      t.policyVersion = g.version;
    });
  }
}

/**
 * Per rollout, Σ_t (log π_sample − log π_ref) over its sampled tokens (the k1 estimate of the
 * sequence KL to the reference), with the reference's log-probs from the trainer's forward.
 */
async function klToReference(client: TrainerProcess['client'], sessionId: string, rollouts_GI: readonly (readonly Trajectory[])[], temperature: number, audio?: AudioSource): Promise<number[][]> {
  const seqs = rollouts_GI.map((g) => g.map((t) => episodeTokens(t.steps).sequences));
  const flat = seqs.flat(2);
  if (flat.length === 0) return rollouts_GI.map((g) => g.map(() => 0));
  const data = flat.map((q) => datumFromSequence(q.ids_T, q.mask_T, {}, audioOf(q, audio)));
  const fwd = await client.forward(sessionId, data, { temperature, reference: true });
  let at = 0;
  return seqs.map((g) =>
    g.map((qs) =>
      qs.reduce((sum, q) => {
        const ref = fwd.ref_logprobs![at++]!;
        return sum + q.mask_T.slice(1).reduce((a, w, i) => a + (w ? q.logprobs_T[i + 1]! - ref[i]! : 0), 0);
      }, 0),
    ),
  );
}

/** Counts the time a judge spends (its calls overlap, so this is summed wall time per call). */
function timed(j: Judge): Judge & { seconds: number } {
  const out = {
    name: j.name,
    ...(j.promptVersion !== undefined && { promptVersion: j.promptVersion }),
    seconds: 0,
    async judge(...args: Parameters<Judge['judge']>) {
      const t0 = performance.now();
      try {
        return await j.judge(...args);
      } finally {
        out.seconds += (performance.now() - t0) / 1000;
      }
    },
  };
  return out;
}

function policyMetrics(before: PolicyCounters, after: PolicyCounters, calls: { calls: number; requests: number }, calls0: { calls: number; requests: number }, prefixBreaks: number): Record<string, number> {
  const turns = after.turns - before.turns;
  const sampleCalls = calls.calls - calls0.calls;
  return {
    'env/parse_errors': after.parseErrors - before.parseErrors,
    'env/parse_error_rate': turns ? (after.parseErrors - before.parseErrors) / turns : 0,
    'env/truncated': after.truncated - before.truncated,
    'perf/prefix_breaks': after.prefixBreaks - before.prefixBreaks + prefixBreaks,
    'perf/sample_calls': sampleCalls,
    'perf/turns_per_sample_call': sampleCalls ? (calls.requests - calls0.requests) / sampleCalls : 0,
  };
}

/** GAE per token from the critic's values: rewards on each turn's last token, advantages whitened over the batch. */
function assignGae(items: TrainItem[], values_DI: readonly (readonly number[])[], credits: ReturnType<typeof assignCredit>['credits'], cfg: TrainConfig): void {
  items.forEach((it, d) => {
    const values_T = [0, ...(values_DI[d] ?? [])];
    const rewards_T = turnRewardsOnTokens(it.seq, credits[it.from.group]![it.from.sample]!.rewards_K);
    const g = gaeOverMask(rewards_T, values_T, it.seq.mask_T, cfg.advantage.gae);
    it.values_T = values_T;
    it.returns_T = g.returns_T;
    it.advantages_T = g.advantages_T;
  });
  if (!cfg.advantage.gae.whiten) return;
  const flat = whiten(items.flatMap((it) => it.advantages_T), items.flatMap((it) => it.seq.mask_T));
  let at = 0;
  for (const it of items) it.advantages_T = flat.slice(at, (at += it.advantages_T.length));
}

/**
 * An external sampler serves the new weights: the trainer writes them (a PEFT adapter, or for full
 * fine-tuning a Hugging Face directory), the sampler loads them as `policy-<session>-v<step>` (unique
 * across runs and resumes that share one server), and the previous version's files are deleted
 * (the server holds the weights in memory once loaded).
 */
async function publishWeights(runtime: Awaited<ReturnType<typeof startRuntime>>, run: RunDir, step: number, lora: boolean): Promise<void> {
  const dir = run.path(join('weights', String(step)));
  if (lora) await runtime.client.exportAdapter(runtime.sessionId, dir);
  else await runtime.client.save(runtime.sessionId, dir, false);
  await runtime.sampler.update({ kind: lora ? 'adapter' : 'full', path: lora ? dir : join(dir, 'model'), name: `policy-${runtime.sessionId.slice(0, 8)}-v${step}` });
  if (step > 0) await rm(run.path(join('weights', String(step - 1))), { recursive: true, force: true });
}
