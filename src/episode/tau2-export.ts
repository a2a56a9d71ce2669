/**
 * Our τ² episodes in τ²-bench's results format (`tau2.data_model.simulation.Results`): `info`
 * (agent, user, environment, trials, limits), the tasks as τ² wrote them, and one
 * `SimulationRun` per episode with its messages and `RewardInfo`, so τ²'s own tooling
 * (`tau2 view`, its metrics) can read our runs.
 */
import type { Tau2Task } from '../dataset/tau2-task.ts';
import { parsePy } from '../py/parse.ts';
import { isDict, PyFloat, type PyDict, type PyValue } from '../py/value.ts';
import { communicatedIn } from '../verify/tau2-reward.ts';
import { dumps } from '../py/dumps.ts';
import type { Trajectory } from './trajectory.ts';
import { loadMessages, type Tau2Message } from './tau2-messages.ts';

export interface Tau2ExportInfo {
  gitCommit: string;
  trials: number;
  maxSteps: number;
  maxErrors: number;
  agent: { implementation: string; llm: string | null };
  user: { implementation: string; llm: string | null };
  domain: string;
  policy: string;
  seed: number;
}

function messageJson(m: Tau2Message, i: number): PyDict {
  if (m.role === 'tool') {
    return new Map<string, PyValue>([
      ['id', m.id],
      ['role', 'tool'],
      ['content', m.content],
      ['requestor', m.requestor],
      ['error', m.error],
      ['turn_idx', i],
    ]);
  }
  const calls = m.toolCalls?.map((c) => new Map<string, PyValue>([['id', c.id], ['name', c.name], ['arguments', c.arguments], ['requestor', c.requestor]])) ?? null;
  return new Map<string, PyValue>([
    ['role', m.role],
    ['content', m.content],
    ['tool_calls', calls],
    ['turn_idx', i],
  ]);
}

/** The task's gold actions exactly as its file has them (τ²'s `ActionCheck.action`). */
function goldActions(task: Tau2Task | undefined): PyValue[] {
  const criteria = task?.raw.get('evaluation_criteria');
  const actions = isDict(criteria) ? criteria.get('actions') : undefined;
  return Array.isArray(actions) ? actions : [];
}

function rewardJson(t: Trajectory, task: Tau2Task | undefined, messages: readonly Tau2Message[]): PyValue {
  const r = t.tau2!.reward;
  const gold = goldActions(task);
  const infos = task?.criteria?.communicateInfo ?? [];
  const breakdown: PyDict = new Map();
  for (const b of r.rewardBasis) breakdown.set(b, r.components[b]);
  return new Map<string, PyValue>([
    ['reward', r.reward ?? 0],
    ['db_check', new Map<string, PyValue>([['db_match', r.dbMatch], ['db_reward', r.components.DB ?? 0]])],
    [
      'env_assertions',
      r.envAssertions.map(
        (a) =>
          new Map<string, PyValue>([
            ['env_assertion', new Map<string, PyValue>([['env_type', a.envType], ['func_name', a.funcName], ['arguments', parsePy(a.arguments)], ['assert_value', a.assertValue]])],
            ['met', a.met],
            ['reward', a.met ? 1 : 0],
          ]),
      ),
    ],
    [
      'action_checks',
      r.actionChecks.map(
        (ok, i) =>
          new Map<string, PyValue>([
            ['action', gold[i] ?? null],
            ['action_match', ok],
            ['action_reward', new PyFloat(ok ? 1 : 0)],
            ['tool_type', null],
          ]),
      ),
    ],
    ['nl_assertions', r.nlAssertions?.map((c) => new Map<string, PyValue>([['nl_assertion', c.assertion], ['met', c.met], ['justification', c.justification]])) ?? null],
    [
      'communicate_checks',
      r.communicateChecks.map((ok, i) => {
        const info = infos[i] ?? '';
        const where = communicatedIn(info, messages);
        const justification = ok && where !== undefined ? `Information '${info}' communicated in the message:\n '${where}'` : `Information '${info}' not communicated.`;
        return new Map<string, PyValue>([['info', info], ['met', ok], ['justification', justification]]);
      }),
    ],
    ['reward_basis', r.rewardBasis],
    ['reward_breakdown', breakdown],
    ['info', new Map<string, PyValue>([['note', r.note ?? null], ['unscored', r.unscored.map((u) => `${u.component}: ${u.why}`)]])],
  ]);
}

/** τ²'s `Results` JSON text for the τ² episodes of a run (other records are skipped). */
export function tau2Results(episodes: readonly Trajectory[], tasks: readonly Tau2Task[], info: Tau2ExportInfo): string {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const sims = episodes
    .filter((e) => e.tau2)
    .map((e) => {
      const msgs = loadMessages(e.tau2!.messages);
      const end = new Date(Date.parse(e.startedAt) + e.wallMs).toISOString();
      return new Map<string, PyValue>([
        ['id', `${e.taskId}#${e.trial}`],
        ['task_id', e.taskId],
        ['timestamp', e.startedAt],
        ['start_time', e.startedAt],
        ['end_time', end],
        ['duration', e.wallMs / 1000],
        ['termination_reason', e.tau2!.termination],
        ['agent_cost', e.usage.agent.costUsd],
        ['user_cost', e.usage.user.costUsd],
        ['reward_info', rewardJson(e, byId.get(e.taskId), msgs)],
        ['messages', msgs.map(messageJson)],
        ['trial', e.trial],
        ['seed', e.seed],
        ['mode', 'half_duplex'],
      ]);
    });
  const out = new Map<string, PyValue>([
    ['timestamp', new Date().toISOString()],
    [
      'info',
      new Map<string, PyValue>([
        ['git_commit', info.gitCommit],
        ['num_trials', info.trials],
        ['max_steps', info.maxSteps],
        ['max_errors', info.maxErrors],
        ['user_info', new Map<string, PyValue>([['implementation', info.user.implementation], ['llm', info.user.llm]])],
        ['agent_info', new Map<string, PyValue>([['implementation', info.agent.implementation], ['llm', info.agent.llm]])],
        ['environment_info', new Map<string, PyValue>([['domain_name', info.domain], ['policy', info.policy]])],
        ['seed', info.seed],
      ]),
    ],
    ['tasks', tasks.map((t) => t.raw)],
    ['simulations', sims],
  ]);
  return dumps(out);
}

/** Reads back the simulations' task ids and rewards from a results file (for checks and tools). */
export function readTau2Results(text: string): { taskId: string; reward: number }[] {
  const v = parsePy(text);
  if (!isDict(v)) throw new Error('τ² results: expected an object');
  const sims = v.get('simulations');
  if (!Array.isArray(sims)) throw new Error('τ² results: "simulations" must be a list');
  return sims.map((s, i) => {
    if (!isDict(s)) throw new Error(`τ² results: simulation ${i} must be an object`);
    const r = s.get('reward_info');
    const reward = isDict(r) ? r.get('reward') : undefined;
    return { taskId: String(s.get('task_id')), reward: typeof reward === 'number' ? reward : Number((reward as { value?: number } | undefined)?.value ?? 0) };
  });
}
