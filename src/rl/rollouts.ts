import type { Agent } from '../agents/agent.ts';
import { runEpisode } from '../episode/run-episode.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import { episodeSeed, type EvalSource } from '../eval/run-eval.ts';
import type { Judge } from '../judge/judge.ts';
import type { UserSimulator } from '../users/user.ts';
import type { AudioInput } from '../voice/wire.ts';
import { forEachPooled } from '../util/pool.ts';
import type { Draw } from './curriculum.ts';
import { runMathEpisode } from './math-episode.ts';

export interface RolloutContext {
  /** The train split's tasks and worlds. */
  source: EvalSource;
  agent: Agent;
  user: UserSimulator;
  judge: Judge;
  groupSize: number;
  concurrency: number;
  maxTurns: number;
  seed: number;
  step: number;
  signal?: AbortSignal;
  /** Speech runs: where the policy reads spoken user turns (the user is then a SpeakingUser). */
  audio?: AudioInput;
  /** A limit on episodes in flight shared with other calls (asynchronous rollouts run several groups at once). */
  limit?: <R>(fn: () => Promise<R>) => Promise<R>;
}

/** G rollouts of one drawn task, in sample order. */
export interface Group {
  draw: Draw;
  rollouts: Trajectory[];
}

/**
 * The step's rollouts: G episodes per drawn task, all in flight at once up to `concurrency`
 * (a batching sampler turns their turns into few sample calls), each tool-use episode then
 * adjudicated turn by turn. An episode that ends in `error` (sampler or service down, a user
 * simulator failing) stops the step: training on it would be training on an infrastructure fault.
 */
export async function collectRollouts(draws: readonly Draw[], ctx: RolloutContext): Promise<Group[]> {
  const groups: Group[] = draws.map((draw) => ({ draw, rollouts: new Array<Trajectory>(ctx.groupSize) }));
  const jobs = groups.flatMap((g, d) => Array.from({ length: ctx.groupSize }, (_, i) => ({ d, i })));
  await forEachPooled(
    jobs,
    ctx.concurrency,
    ({ d, i }) => (ctx.limit ?? ((fn) => fn()))(() => rollout(groups[d]!.draw, i, ctx)),
    (t, { d, i }) => {
      groups[d]!.rollouts[i] = t;
    },
    ctx.signal,
  );
  ctx.signal?.throwIfAborted();
  const failed = groups.flatMap((g) => g.rollouts).find((t) => t.termination === 'error');
  if (failed) throw new Error(`rollout of ${failed.taskId} (sample ${failed.trial}) failed: ${failed.error ?? 'unknown error'}`);
  return groups;
}

/** Sample i of a drawn task: one episode (tool-use tasks then judged turn by turn). */
async function rollout(draw: Draw, i: number, ctx: RolloutContext): Promise<Trajectory> {
  const seed = episodeSeed(ctx.seed, `${ctx.step}/${draw.task.id}`, i);
  const signal = ctx.signal ? { signal: ctx.signal } : {};
  if (draw.kind === 'math') return runMathEpisode(draw.task, ctx.agent, { trial: i, seed, step: ctx.step, ...signal });
  const { template, verifier } = ctx.source.world(draw.task);
  const t = await runEpisode({
    task: draw.task, template, verifier, agent: ctx.agent, user: ctx.user, policy: ctx.source.policy, tools: ctx.source.tools,
    trial: i, seed, maxSteps: ctx.maxTurns, ...signal, ...(ctx.audio && { audio: ctx.audio }),
  });
  t.step = ctx.step;
  if (t.termination !== 'error') t.judge = await ctx.judge.judge({ task: draw.task, policy: ctx.source.policy, trajectory: t }, ctx.signal);
  return t;
}
