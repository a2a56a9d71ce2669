/**
 * Replays τ²-bench golden records (`<domain>_replay.jsonl` or `<domain>_fuzz_*.jsonl`): each
 * record's task initial state on a fresh environment, then every step with its requestor
 * (`get_response` followed by `sync_tools`, as τ²'s orchestrator does per step).
 */
import type { Tau2Task } from '../../dataset/tau2-task.ts';
import { dumpsCompact } from '../../py/dumps.ts';
import { isDict, isList, type PyDict, type PyValue } from '../../py/value.ts';
import type { Requestor, Tau2Environment } from './environment.ts';
import type { EnvironmentOptions, Tau2World } from './world.ts';

export interface ReplayStep {
  name: string;
  requestor: Requestor;
  arguments: PyDict;
}

export interface ReplayRecord {
  /** The task whose initial state the record starts from (`task_id` or `seed_task_id`). */
  taskId: string;
  steps: ReplayStep[];
}

export interface ReplayOutcome {
  observations: string[];
  errors: boolean[];
  dbHash: string;
  userDbHash: string | null;
}

/** Reads one golden line (replay or fuzz format), naming the field that is wrong. */
export function replayRecordOf(line: PyValue, where: string): ReplayRecord {
  if (!isDict(line)) throw new Error(`${where}: expected a JSON object`);
  const taskId = line.get('task_id') ?? line.get('seed_task_id');
  if (typeof taskId !== 'string') throw new Error(`${where}: needs "task_id" or "seed_task_id"`);
  const steps = line.get('steps');
  if (!isList(steps)) throw new Error(`${where}: "steps" must be a list`);
  return {
    taskId,
    steps: steps.map((s, i) => {
      if (!isDict(s)) throw new Error(`${where} step ${i}: expected an object`);
      const name = s.get('name');
      const requestor = s.get('requestor') ?? 'assistant';
      const args = s.get('arguments') ?? new Map();
      if (typeof name !== 'string') throw new Error(`${where} step ${i}: "name" must be a string`);
      if (requestor !== 'user' && requestor !== 'assistant') throw new Error(`${where} step ${i}: "requestor" must be "user" or "assistant"`);
      if (!isDict(args)) throw new Error(`${where} step ${i}: "arguments" must be an object`);
      return { name, requestor, arguments: args };
    }),
  };
}

/** Banking logs reads of the discoverable tools its gold actions call (τ²'s `read_log_allowlist`). */
export function environmentOptionsFor(task: Tau2Task): EnvironmentOptions {
  // τ²'s `_derive_read_log_allowlist`: the tools the gold `call_discoverable_agent_tool` actions name.
  const names = new Set<string>();
  for (const a of task.criteria?.actions ?? []) {
    if (a.name !== 'call_discoverable_agent_tool') continue;
    const n = a.arguments.get('agent_tool_name');
    if (typeof n === 'string' && n !== '') names.add(n);
  }
  return { readLogAllowlist: names };
}

/** A fresh environment in the task's initial state. */
export function initialEnvironment(world: Tau2World, task: Tau2Task, extra: EnvironmentOptions = {}): Tau2Environment {
  const env = world.environment({ ...environmentOptionsFor(task), ...extra });
  env.setInitialState(task.initialState);
  return env;
}

export function replayRecord(world: Tau2World, task: Tau2Task, record: ReplayRecord, extra: EnvironmentOptions = {}): ReplayOutcome {
  const env = initialEnvironment(world, task, extra);
  const observations: string[] = [];
  const errors: boolean[] = [];
  record.steps.forEach((s, i) => {
    const r = env.getResponse({ id: String(i), name: s.name, arguments: s.arguments, requestor: s.requestor });
    observations.push(r.content);
    errors.push(r.error);
    try {
      env.sync();
    } catch {
      // τ²'s orchestrator would stop here; the golden generator records the step and goes on.
    }
  });
  return { observations, errors, dbHash: env.dbHash(), userDbHash: env.userDbHash() };
}

/** The output line: `{"observations": [...], "errors": [...], "db_hash": …, "user_db_hash": …}`. */
export function replayOutcomeLine(o: ReplayOutcome): string {
  const out: PyDict = new Map<string, PyValue>([
    ['observations', o.observations],
    ['errors', o.errors],
    ['db_hash', o.dbHash],
    ['user_db_hash', o.userDbHash],
  ]);
  return dumpsCompact(out);
}
