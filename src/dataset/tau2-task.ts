/**
 * τ²-bench's task schema (`tau2.data_model.tasks.Task`), read losslessly from its JSON (tool
 * arguments keep int vs float and key order): the user scenario, the initial state and the
 * evaluation criteria with their reward basis. Errors name the file, the task and the field.
 */
import { isDict, isList, type PyDict, type PyValue } from '../py/value.ts';

export type RewardType = 'DB' | 'ENV_ASSERTION' | 'NL_ASSERTION' | 'ACTION' | 'COMMUNICATE';
export const REWARD_TYPES: readonly RewardType[] = ['DB', 'ENV_ASSERTION', 'NL_ASSERTION', 'ACTION', 'COMMUNICATE'];
export type Requestor = 'user' | 'assistant';

export interface Tau2Action {
  actionId: string;
  requestor: Requestor;
  name: string;
  arguments: PyDict;
  info: string | null;
  compareArgs: string[] | null;
}

export interface EnvFunctionCall {
  envType: Requestor;
  funcName: string;
  arguments: PyDict;
}

export interface EnvAssertion extends EnvFunctionCall {
  assertValue: boolean;
  message: string | null;
}

export interface Tau2InitialState {
  agentData: PyDict | null;
  userData: PyDict | null;
  initializationActions: EnvFunctionCall[];
  /** Prior conversation in τ²'s message format (kept as read). */
  messageHistory: PyValue[];
}

export interface Tau2Criteria {
  actions: Tau2Action[] | null;
  envAssertions: EnvAssertion[] | null;
  communicateInfo: string[] | null;
  nlAssertions: string[] | null;
  rewardBasis: RewardType[];
}

export interface Tau2Task {
  id: string;
  /** Position in the domain's task file. */
  index: number;
  /** The whole task as read (user scenario, description, ticket, …). */
  raw: PyDict;
  ticket: string | null;
  initialState: Tau2InitialState | null;
  criteria: Tau2Criteria | null;
}

class TaskError extends Error {
  constructor(where: string, msg: string) {
    super(`${where}: ${msg}`);
    this.name = 'TaskError';
  }
}

function str(d: PyDict, key: string, where: string): string {
  const v = d.get(key);
  if (typeof v !== 'string') throw new TaskError(where, `"${key}" must be a string`);
  return v;
}

function optStr(d: PyDict, key: string, where: string): string | null {
  const v = d.get(key);
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new TaskError(where, `"${key}" must be a string or null`);
  return v;
}

function optStrList(d: PyDict, key: string, where: string): string[] | null {
  const v = d.get(key);
  if (v === undefined || v === null) return null;
  if (!isList(v) || !v.every((x) => typeof x === 'string')) throw new TaskError(where, `"${key}" must be a list of strings or null`);
  return v as string[];
}

function dictOf(v: PyValue | undefined, where: string): PyDict {
  if (!isDict(v)) throw new TaskError(where, 'must be an object');
  return v;
}

function requestor(v: PyValue | undefined, where: string, fallback?: Requestor): Requestor {
  if (v === undefined && fallback) return fallback;
  if (v !== 'user' && v !== 'assistant') throw new TaskError(where, `requestor must be "user" or "assistant", got ${String(v)}`);
  return v;
}

function functionCall(v: PyValue, where: string): EnvFunctionCall {
  const d = dictOf(v, where);
  return { envType: requestor(d.get('env_type'), where), funcName: str(d, 'func_name', where), arguments: dictOf(d.get('arguments') ?? new Map(), `${where}.arguments`) };
}

function action(v: PyValue, where: string): Tau2Action {
  const d = dictOf(v, where);
  return {
    actionId: str(d, 'action_id', where),
    requestor: requestor(d.get('requestor'), where, 'assistant'),
    name: str(d, 'name', where),
    arguments: dictOf(d.get('arguments') ?? new Map(), `${where}.arguments`),
    info: optStr(d, 'info', where),
    compareArgs: optStrList(d, 'compare_args', where),
  };
}

/** Parses one task object (already read with `parsePy`). */
export function parseTau2Task(v: PyValue, index: number, file: string): Tau2Task {
  const where0 = `${file} task #${index}`;
  const d = dictOf(v, where0);
  const id = str(d, 'id', where0);
  const where = `${file} task ${id}`;
  let initialState: Tau2InitialState | null = null;
  const init = d.get('initial_state');
  if (init !== undefined && init !== null) {
    const i = dictOf(init, `${where}.initial_state`);
    const data = i.get('initialization_data');
    const dataD = data === undefined || data === null ? null : dictOf(data, `${where}.initial_state.initialization_data`);
    const optDict = (x: PyValue | undefined, w: string): PyDict | null => (x === undefined || x === null ? null : dictOf(x, w));
    const actions = i.get('initialization_actions');
    const history = i.get('message_history');
    initialState = {
      agentData: dataD ? optDict(dataD.get('agent_data'), `${where}.initialization_data.agent_data`) : null,
      userData: dataD ? optDict(dataD.get('user_data'), `${where}.initialization_data.user_data`) : null,
      initializationActions: isList(actions) ? actions.map((a, k) => functionCall(a, `${where}.initialization_actions[${k}]`)) : [],
      messageHistory: isList(history) ? history : [],
    };
  }
  let criteria: Tau2Criteria | null = null;
  const ec = d.get('evaluation_criteria');
  if (ec !== undefined && ec !== null) {
    const c = dictOf(ec, `${where}.evaluation_criteria`);
    const acts = c.get('actions');
    const asserts = c.get('env_assertions');
    const basis = c.get('reward_basis') ?? ['DB', 'COMMUNICATE'];
    if (!isList(basis) || !basis.every((b) => typeof b === 'string' && (REWARD_TYPES as readonly string[]).includes(b))) {
      throw new TaskError(`${where}.evaluation_criteria`, `"reward_basis" must list reward types (${REWARD_TYPES.join(', ')})`);
    }
    criteria = {
      actions: isList(acts) ? acts.map((a, k) => action(a, `${where}.evaluation_criteria.actions[${k}]`)) : null,
      envAssertions: isList(asserts)
        ? asserts.map((a, k) => {
            const w = `${where}.evaluation_criteria.env_assertions[${k}]`;
            const ad = dictOf(a, w);
            const value = ad.get('assert_value') ?? true;
            if (typeof value !== 'boolean') throw new TaskError(w, '"assert_value" must be a boolean');
            return { ...functionCall(a, w), assertValue: value, message: optStr(ad, 'message', w) };
          })
        : null,
      communicateInfo: optStrList(c, 'communicate_info', `${where}.evaluation_criteria`),
      nlAssertions: optStrList(c, 'nl_assertions', `${where}.evaluation_criteria`),
      rewardBasis: basis as RewardType[],
    };
  }
  return { id, index, raw: d, ticket: optStr(d, 'ticket', where), initialState, criteria };
}
