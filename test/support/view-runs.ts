import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { OracleAgent } from '../../src/agents/oracle.ts';
import type { Agent } from '../../src/agents/agent.ts';
import type { TokenRecord } from '../../src/chat/messages.ts';
import { generateDataset } from '../../src/dataset/build.ts';
import { loadDataset, type Dataset } from '../../src/dataset/load.ts';
import type { StepRecord, Trajectory } from '../../src/episode/trajectory.ts';
import { runEval } from '../../src/eval/run-eval.ts';
import { summarize } from '../../src/eval/summary.ts';
import { datasetSource, flawedAgentFor } from '../../src/eval/source.ts';
import { writeEvalOutputs } from '../../src/eval/write-results.ts';
import { judgeRun } from '../../src/judge/judge-run.ts';
import { OracleJudge } from '../../src/judge/oracle-judge.ts';
import { EpisodeLog } from '../../src/run/episode-log.ts';
import { evalRunManifest } from '../../src/run/provenance.ts';
import { RunDir, type RunManifest } from '../../src/run/run-dir.ts';
import { ScriptedUser } from '../../src/users/scripted.ts';

/** A small generated starter dataset (fast to run: the store has five tools). */
export function makeDataset(dir: string, test = 24): Dataset {
  generateDataset(dir, { domain: 'starter', seed: 7, users: 40, tasks: 8, dev: 2, test });
  return loadDataset(dir);
}

/**
 * An evaluation run made the way `tarl eval` + `tarl judge --judge oracle` make one: an agent
 * with the scripted user on the test split, every turn adjudicated by the oracle judge, then
 * results.json and report.html.
 */
export async function makeEvalRun(out: string, ds: Dataset, agent: 'oracle' | 'flawed', o: { trials?: number; seed?: number; config?: Record<string, unknown> } = {}): Promise<RunDir> {
  const trials = o.trials ?? 2;
  const seed = o.seed ?? 1;
  const source = datasetSource(ds, 'test');
  const a: Agent = agent === 'oracle' ? new OracleAgent() : flawedAgentFor(source);
  const run = RunDir.create(out, evalRunManifest({ config: { command: 'eval', data: ds.dir, split: 'test', trials, seed, agent, user: 'scripted', ...o.config }, dataset: ds, seed }));
  await runEval({ run, source, agent: a, user: new ScriptedUser(), trials, concurrency: 4, seed });
  const tasks = new Map([...ds.tasks.values()].flat().map((t) => [t.id, t]));
  await judgeRun(run, { judge: new OracleJudge(), tasks, policy: ds.policy, concurrency: 4 });
  const episodes = run.episodes().episodes;
  const summary = summarize(episodes, source.tasks.map((t) => t.id), trials);
  writeEvalOutputs(run, summary, episodes, source.tasks, true);
  return run;
}

// ---- a synthetic training run: a byte-level tokenizer, rollouts with tokens and advantages ------

const SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>', '<tool_call>', '</tool_call>'];

/** GPT-2's byte → printable character map (the inverse of what the viewer decodes). */
function byteChars(): string[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (bs.includes(b)) continue;
    bs.push(b);
    cs.push(256 + n++);
  }
  const out: string[] = [];
  bs.forEach((b, i) => (out[b] = String.fromCodePoint(cs[i]!)));
  return out;
}

/** A byte-level tokenizer.json with one token per byte (ids 5…260) and the ChatML specials (0…4). */
export function writeByteTokenizer(path: string): void {
  const chars = byteChars();
  const vocab: Record<string, number> = {};
  SPECIALS.forEach((s, i) => (vocab[s] = i));
  chars.forEach((c, b) => (vocab[c] = 5 + b));
  const file = {
    version: '1.0',
    added_tokens: SPECIALS.map((content, id) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true })),
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
    post_processor: null,
    decoder: { type: 'ByteLevel', add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: { type: 'BPE', vocab, merges: [] },
  };
  writeFileSync(path, JSON.stringify(file));
}

/** Ids of `text` under the byte tokenizer, ChatML markers as their special ids. */
export function byteIds(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(/(<\|im_start\|>|<\|im_end\|>|<tool_call>|<\/tool_call>|<\|endoftext\|>)/)) {
    const sp = SPECIALS.indexOf(part);
    if (sp >= 0) out.push(sp);
    else for (const b of Buffer.from(part, 'utf8')) out.push(5 + b);
  }
  return out;
}

function tokensFor(context: string, completion: string, parsed = true): TokenRecord {
  const completionIds = byteIds(completion);
  return { deltaIds: byteIds(context), completionIds, logprobs: completionIds.map((_, i) => -0.1 - (i % 7) * 0.2), parsed, finishReason: 'stop' };
}

/** One rollout of the synthetic training run: two turns (a tool call, then a reply), tokens on both. */
export function rollout(step: number, task: number, sample: number, o: { reward: number; advantages: [number, number]; kept: boolean; hostile?: string; neg?: boolean }): Trajectory {
  const taskId = `train/${task}`;
  const say = o.hostile ?? `Done: order #${400 + task} is cancelled.`;
  const call = `<tool_call>\n{"name": "cancel_order", "arguments": {"order_id": "${400 + task}"}}\n</tool_call><|im_end|>`;
  const steps: StepRecord[] = [
    { turn: 0, action: { type: 'tool', name: 'cancel_order', arguments: `{"order_id": "${400 + task}"}`, callId: 'c0' }, messageIndex: 2, observation: 'ok', tokens: tokensFor(`<|im_start|>user\nPlease cancel order #${400 + task}.<|im_end|>\n<|im_start|>assistant\n`, call), wallMs: 3 },
    { turn: 1, action: { type: 'respond', content: say }, messageIndex: 4, userReply: 'bye', tokens: tokensFor('<|im_start|>tool\nok<|im_end|>\n<|im_start|>assistant\n', `${say}<|im_end|>`), wallMs: 2 },
  ];
  return {
    schema: 1, taskId, domain: 'starter', split: 'train', taskIndex: task, trial: sample, seed: step * 100 + task, agent: 'policy', user: 'scripted',
    messages: [
      { role: 'system', content: 'You are a store agent.' },
      { role: 'user', content: `Please cancel order #${400 + task}.` },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c0', type: 'function', function: { name: 'cancel_order', arguments: `{"order_id": "${400 + task}"}` } }] },
      { role: 'tool', tool_call_id: 'c0', name: 'cancel_order', content: 'ok' },
      { role: 'assistant', content: say },
      { role: 'user', content: 'bye' },
    ],
    steps, termination: 'user_stop', reward: o.reward,
    judge: { judge: 'oracle', status: 'ok', verdicts: [{ turn: 0, score: o.neg ? -1 : 1, rationale: o.neg ? 'cancelled the wrong order' : 'right call' }, { turn: 1, score: o.neg ? 0 : 1, rationale: 'reply' }] },
    step, rl: { reward: o.reward + (o.neg ? -5 : 10), advantages_K: o.advantages, kept: o.kept, trainTokens: o.kept ? steps.reduce((a, s) => a + s.tokens!.completionIds.length, 0) : 0 },
    usage: { agent: { promptTokens: 60, completionTokens: 40, costUsd: null }, user: { promptTokens: 0, completionTokens: 0, costUsd: 0 } },
    wallMs: 5, startedAt: '2026-12-01T00:00:00.000Z',
  };
}

export const trainManifest = (data: string): RunManifest => ({
  schema: 1, kind: 'train', createdAt: '2026-12-01T00:00:00.000Z',
  config: { seed: 0, steps: 10, data: { dir: data, split: 'train' }, rollout: { groupSize: 2, maskUnparsed: true } },
  provenance: { commit: null, tarlVersion: '0.1.0', node: process.version, data: { dir: data }, seeds: { run: 0 }, models: { base: { preset: 'tiny' } } },
});

/** A metrics line of the synthetic run at `step` (the namespaces `tarl train` writes). */
export function metricsAt(step: number): Record<string, number> {
  return {
    'reward/mean': 0.2 + 0.05 * step, 'reward/outcome': 0.1 + 0.04 * step, 'loss/policy': 0.5 / (1 + step), 'kl/sampler_trainer': 0.001 * step,
    'ppo/approx_kl': 0.002 * step, 'ppo/entropy_estimate': 2 - 0.1 * step, 'ppo/clip_frac': 0.05 + 0.01 * (step % 3), 'env/steps': 4 + (step % 2),
    'perf/train_tokens_per_s': 900 + 10 * step, 'perf/step_s': 3, 'optim/lr': 0.001, ...(step % 2 === 0 && { 'eval/pass1': 0.2 + 0.05 * step, 'eval/floor': 0.25 }),
  };
}

/**
 * A training run directory as `tarl train` lays it out, written with RunDir: run.json (kind
 * train), `steps` metrics lines, rollouts keyed by (step, task, sample) with tokens and
 * advantages, a tokenizer at the root. Returns the run.
 */
export async function makeTrainRun(out: string, dataDir: string, steps: number, o: { hostile?: string } = {}): Promise<RunDir> {
  const run = RunDir.create(out, trainManifest(dataDir));
  writeByteTokenizer(run.path('tokenizer.json'));
  for (let s = 0; s < steps; s++) run.appendMetrics(s, metricsAt(s));
  const log = new EpisodeLog(run.path('episodes.jsonl'), { commitIntervalMs: 1 });
  const writes: Promise<void>[] = [];
  for (let s = 0; s < steps; s++) {
    for (let task = 0; task < 3; task++) {
      writes.push(log.append(rollout(s, task, 0, { reward: 1, advantages: [0.9, 1.2], kept: true })));
      writes.push(log.append(rollout(s, task, 1, { reward: 0, advantages: [-1.1, -0.4], kept: true, neg: true, ...(task === 0 && o.hostile !== undefined && { hostile: o.hostile }) })));
    }
    writes.push(log.append(rollout(s, 3, 0, { reward: 1, advantages: [0, 0], kept: false })));
  }
  await Promise.all(writes);
  log.close();
  mkdirSync(join(out, 'checkpoints'), { recursive: true });
  return run;
}
