import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Agent, AgentStep } from '../src/agents/agent.ts';
import type { Task } from '../src/dataset/task.ts';
import { readTaubenchPolicy, readTaubenchTasks } from '../src/dataset/taubench.ts';
import { loadTaubenchWorld } from '../src/dataset/world.ts';
import { runEpisode } from '../src/episode/run-episode.ts';
import { recordedKwargs } from '../src/episode/trajectory.ts';
import { runEval, type EvalSource } from '../src/eval/run-eval.ts';
import { RunDir } from '../src/run/run-dir.ts';
import type { UserSimulator } from '../src/users/user.ts';
import { Verifier } from '../src/verify/verifier.ts';
import { taubenchDir } from './support/taubench.ts';

const TAU = taubenchDir();
const template = loadTaubenchWorld(TAU, 'retail');
const verifier = new Verifier(template);
const tasks = readTaubenchTasks(TAU, 'retail', 'test');
const policy = readTaubenchPolicy(TAU, 'retail');
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Test double: replays the task's ground truth, then tells the user the required outputs. */
function replayAgent(opts: { failAt?: number; onlyThink?: boolean } = {}): Agent {
  return {
    name: 'replay',
    start: (ctx) => {
      let i = 0;
      return {
        act: async (): Promise<AgentStep> => {
          const turn = i++;
          if (opts.failAt === turn) throw new Error('model endpoint down');
          const a = opts.onlyThink ? { name: 'think', kwargs: new Map([['thought', 'hmm']]) } : ctx.task.actions[turn];
          if (a) {
            const call = { id: `call_${turn}`, type: 'function' as const, function: { name: a.name, arguments: '{}' } };
            return { action: { type: 'tool', name: a.name, kwargs: a.kwargs, callId: call.id }, message: { role: 'assistant', content: null, tool_calls: [call] } };
          }
          const content = `Done. ${ctx.task.outputs.join(', ')}`;
          return { action: { type: 'respond', content }, message: { role: 'assistant', content } };
        },
      };
    },
  };
}

const stopUser: UserSimulator = {
  name: 'stop',
  start: (ctx) => ({
    first: async () => ({ content: ctx.task.instruction, stop: false }),
    reply: async () => ({ content: 'Thanks! ###STOP###', stop: true }),
  }),
};

const spec = (task: Task, agent: Agent, maxSteps?: number) => ({
  task, template, verifier, agent, user: stopUser, policy, tools: [], trial: 0, seed: 1, ...(maxSteps ? { maxSteps } : {}),
});

describe('runEpisode', () => {
  it('replaying the ground truth verifies 1 and ends by the user stopping (or a transfer)', async () => {
    for (const task of tasks.slice(0, 8)) {
      const t = await runEpisode(spec(task, replayAgent()));
      const transfers = task.actions.some((a) => a.name === 'transfer_to_human_agents');
      expect(t.termination, task.id).toBe(transfers ? 'agent_transfer' : 'user_stop');
      if (!transfers) expect(t.reward, JSON.stringify(t.rewardInfo?.diff)).toBe(1);
      expect(t.steps.filter((s) => s.action.type === 'tool')).toHaveLength(transfers ? task.actions.findIndex((a) => a.name === 'transfer_to_human_agents') + 1 : task.actions.length);
      const first = t.steps[0]!;
      if (first.action.type === 'tool') expect(recordedKwargs(first.action)).toEqual(task.actions[0]!.kwargs);
      expect(JSON.parse(JSON.stringify(t))).toEqual(t); // a record survives the JSONL round trip
    }
  });
  it('a failing agent ends the episode with termination error, reward 0, and the reason', async () => {
    const t = await runEpisode(spec(tasks[0]!, replayAgent({ failAt: 1 })));
    expect(t.termination).toBe('error');
    expect(t.reward).toBe(0);
    expect(t.error).toMatch(/model endpoint down/);
    expect(t.steps).toHaveLength(1);
  });
  it('max steps ends with reward 0 even when nothing is wrong yet', async () => {
    const t = await runEpisode(spec(tasks[0]!, replayAgent({ onlyThink: true }), 3));
    expect(t.termination).toBe('max_steps');
    expect(t.steps).toHaveLength(3);
    expect(t.reward).toBe(0);
  });
});

describe('runEval', () => {
  const source: EvalSource = { policy, tools: [], tasks: tasks.slice(0, 6), world: () => ({ template, verifier }) };
  const manifest = { schema: 1, kind: 'eval' as const, createdAt: 'now', config: {}, provenance: { commit: null, tarlVersion: 't', node: 'n', data: {}, seeds: {}, models: {} } };

  it('an interrupted run resumed gives the same summary as an uninterrupted one, no episode twice', async () => {
    const full = mkdtempSync(join(tmpdir(), 'tarl-eval-'));
    const cut = mkdtempSync(join(tmpdir(), 'tarl-eval-'));
    dirs.push(full, cut);
    const a = await runEval({ run: RunDir.create(full, manifest), source, agent: replayAgent(), user: stopUser, trials: 2, concurrency: 3, seed: 7 });
    const ctrl = new AbortController();
    let started = 0;
    const inner = replayAgent();
    // Interrupt once the fifth episode starts: later ones never run, in-flight ones finish.
    const interrupting: Agent = { name: inner.name, start: (ctx) => { if (++started === 5) ctrl.abort(); return inner.start(ctx); } };
    const runCut = RunDir.create(cut, manifest);
    await runEval({ run: runCut, source, agent: interrupting, user: stopUser, trials: 2, concurrency: 3, seed: 7, signal: ctrl.signal });
    expect(runCut.episodes().episodes.length).toBeLessThan(12);
    const b = await runEval({ run: RunDir.open(cut), source, agent: replayAgent(), user: stopUser, trials: 2, concurrency: 3, seed: 7 });
    expect(b.episodes).toHaveLength(12);
    expect(runCut.episodes().duplicates).toBe(0);
    expect(b.summary.passHatK).toEqual(a.summary.passHatK);
    expect(b.summary.perTask).toEqual(a.summary.perTask);
    expect(b.summary.terminations).toEqual(a.summary.terminations);
  });
});
