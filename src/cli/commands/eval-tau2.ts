/**
 * `tarl eval` on a τ² dataset (`tarl data import-tau2bench`): the dual-control episode loop,
 * τ²'s reward, `--no-llm` (NL assertions reported unscored) or an NL judge endpoint, telecom
 * solo mode, and τ²'s results format beside ours.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAgent } from '../../agents/registry.ts';
import { loadTau2Tasks, loadTau2World, type WorldOptions } from '../../dataset/tau2.ts';
import type { Tau2Manifest } from '../../dataset/tau2-import.ts';
import { TAU2_MAX_ERRORS, TAU2_MAX_STEPS } from '../../episode/run-tau2-episode.ts';
import { tau2Results } from '../../episode/tau2-export.ts';
import { runTau2Eval } from '../../eval/run-tau2-eval.ts';
import { formatSummary } from '../../eval/write-results.ts';
import { renderReport } from '../../eval/report/html.ts';
import { formatModelSpec, modelSpecFromConfig, type ModelSpec } from '../../llm/model-spec.ts';
import { chatClientFromSpec, type ClientOptions } from '../../llm/spec-client.ts';
import { currentCommit, RUN_SCHEMA_VERSION, RunDir } from '../../run/run-dir.ts';
import { tarlVersion } from '../../run/provenance.ts';
import { Tau2LlmUser } from '../../users/tau2-llm-user.ts';
import { Tau2ScriptedUser } from '../../users/tau2-scripted.ts';
import type { Tau2UserSimulator } from '../../users/tau2-user.ts';
import { llmNlJudge } from '../../verify/tau2-nl-judge.ts';
import { onInterrupt } from '../shared/interrupt.ts';
import { evalProgressReporter } from '../shared/progress.ts';
import { parseTaskRange } from '../shared/task-range.ts';

export interface Tau2EvalCli {
  data: string;
  world: WorldOptions;
  out: string;
  trials: number;
  concurrency: number;
  seed: number;
  tasks?: string;
  maxSteps?: number;
  maxErrors?: number;
  solo: boolean;
  llm: boolean;
  nlJudge?: string;
  resume?: boolean;
  progress: boolean;
  agentSpec: ModelSpec;
  userSpec: ModelSpec;
  client: ClientOptions;
}

function tau2User(spec: ModelSpec, client: ClientOptions): Tau2UserSimulator {
  if (spec.kind === 'scripted') return new Tau2ScriptedUser();
  if (spec.kind === 'llm') {
    if (!spec.llm) throw new Error("user 'llm' needs a model (--user-model NAME)");
    return new Tau2LlmUser(chatClientFromSpec(spec.llm, client));
  }
  throw new Error(`τ² datasets take --user scripted or --user llm (got '${spec.kind}')`);
}

export async function tau2EvalAction(o: Tau2EvalCli, manifest: Tau2Manifest): Promise<void> {
  const world = loadTau2World(o.data, manifest.domain, o.world);
  const byId = new Map(loadTau2Tasks(o.data, manifest.domain).tasks.map((t) => [t.id, t]));
  const all = manifest.tasks.map((id) => byId.get(id)!);
  const tasks = o.tasks ? parseTaskRange(o.tasks, all.length).map((i) => all[i]!) : all;
  if (o.solo && manifest.domain !== 'telecom') throw new Error(`--solo: τ²-bench has solo mode for telecom only (this dataset is ${manifest.domain})`);
  if (!o.llm && o.nlJudge) throw new Error('--no-llm and --nl-judge exclude each other');
  const agent = o.agentSpec.kind === 'oracle' ? createAgent({ kind: 'tau2-oracle' }) : createAgent(o.agentSpec, o.client);
  const user = o.solo ? undefined : tau2User(o.userSpec, o.client);
  const judgeSpec = o.nlJudge ? modelSpecFromConfig(o.nlJudge) : undefined;
  if (judgeSpec && !judgeSpec.llm) throw new Error('--nl-judge needs a model, e.g. llm:model=gpt-4.1');
  const judge = judgeSpec?.llm ? llmNlJudge(chatClientFromSpec(judgeSpec.llm, o.client)) : undefined;
  const maxSteps = o.maxSteps ?? TAU2_MAX_STEPS;
  const maxErrors = o.maxErrors ?? TAU2_MAX_ERRORS;
  const config = {
    command: 'eval',
    benchmark: 'tau2',
    data: o.data,
    domain: manifest.domain,
    split: manifest.split,
    tasks: o.tasks ?? 'all',
    trials: o.trials,
    seed: o.seed,
    maxSteps,
    maxErrors,
    solo: o.solo,
    ...(o.world.retrieval && { retrieval: o.world.retrieval }),
    ...(o.world.embeddings && { embeddings: `${o.world.embeddings.model} @ ${o.world.embeddings.baseUrl}` }),
    ...(o.world.policyType && { telecomPolicy: o.world.policyType }),
    nlJudge: o.llm ? (judgeSpec ? formatModelSpec(judgeSpec) : 'none (NL assertions unscored)') : 'none (--no-llm)',
    agent: formatModelSpec(o.agentSpec),
    user: o.solo ? 'solo' : formatModelSpec(o.userSpec),
  };
  let run: RunDir;
  if (o.resume) {
    run = RunDir.open(o.out);
    const prev = run.manifest().config;
    for (const k of ['data', 'split', 'tasks', 'trials', 'seed', 'agent', 'user', 'solo', 'retrieval', 'telecomPolicy'] as const) {
      if (JSON.stringify(prev[k]) !== JSON.stringify(config[k])) throw new Error(`--resume: ${k} differs from the run being resumed`);
    }
  } else {
    run = RunDir.create(o.out, {
      schema: RUN_SCHEMA_VERSION,
      kind: 'eval',
      createdAt: new Date().toISOString(),
      config,
      provenance: {
        commit: currentCommit(),
        tarlVersion: tarlVersion(),
        node: process.version,
        data: { dir: o.data, benchmark: 'tau2', domain: manifest.domain, manifestSha256: createHash('sha256').update(readFileSync(join(o.data, 'manifest.json'))).digest('hex') },
        seeds: { run: o.seed },
        models: { agent: o.agentSpec.llm ?? null, user: o.userSpec.llm ?? null, nlJudge: judgeSpec?.llm ?? null },
      },
    });
  }
  const controller = new AbortController();
  const release = onInterrupt(() => controller.abort(new Error('interrupted')));
  const progress = evalProgressReporter(o.progress);
  try {
    const { summary, episodes } = await runTau2Eval({
      run,
      world,
      tasks,
      split: manifest.split,
      agent,
      ...(user && { user }),
      solo: o.solo,
      trials: o.trials,
      concurrency: o.concurrency,
      seed: o.seed,
      maxSteps,
      maxErrors,
      ...(judge && { judge }),
      signal: controller.signal,
      onProgress: progress.update,
    });
    progress.stop();
    const complete = summary.episodes === tasks.length * o.trials;
    const m = run.manifest();
    run.writeResults({ schema: 1, complete, summary, config: m.config, provenance: m.provenance });
    run.writeFile(
      'tau2-results.json',
      tau2Results(episodes, tasks, {
        gitCommit: m.provenance.commit ?? 'unknown',
        trials: o.trials,
        maxSteps,
        maxErrors,
        agent: { implementation: o.agentSpec.kind, llm: o.agentSpec.llm?.model ?? null },
        user: { implementation: o.solo ? 'dummy_user' : o.userSpec.kind, llm: o.userSpec.llm?.model ?? null },
        domain: manifest.domain,
        policy: world.policy({ soloMode: o.solo }),
        seed: o.seed,
      }) + '\n',
    );
    const meta: Record<string, string> = {};
    for (const [k, v] of Object.entries(m.config)) meta[k] = typeof v === 'string' ? v : JSON.stringify(v);
    run.writeFile('report.html', renderReport({ title: `tarl eval — ${run.dir}`, summary, episodes, meta }));
    const unscored = episodes.filter((e) => (e.tau2?.reward.unscored.length ?? 0) > 0).length;
    process.stdout.write(`${formatSummary(summary)}\n`);
    if (unscored > 0) process.stdout.write(`unscored: ${unscored} episodes have NL_ASSERTION in their reward basis and no judge (counted as reward 0; see tau2.reward.unscored)\n`);
    process.stdout.write(`run: ${run.dir} (results.json, tau2-results.json, report.html)\n`);
    if (!complete) {
      process.stderr.write(`interrupted: ${summary.episodes}/${tasks.length * o.trials} episodes recorded; continue with --resume\n`);
      process.exitCode = 130;
    }
  } finally {
    progress.stop();
    release();
  }
}
