/**
 * τ²-bench's `Environment`: an agent toolkit and optionally a user toolkit over their
 * databases, `make_tool_call` with τ²'s requestor routing, `get_response` (observation text and
 * error flag, then `sync_tools`), initial state and environment assertions.
 *
 * Tool arguments are passed through unvalidated, exactly as τ² calls `method(**arguments)`:
 * a missing or extra argument is CPython's TypeError text naming the class-qualified method,
 * and the names `self`, `tool_name` and `requestor` collide with `make_tool_call`'s own
 * parameters as they do in Python.
 */
import { dumps } from '../../py/dumps.ts';
import { PyError, typeError, valueError } from '../../py/errors.ts';
import { modelOf } from '../../py/pydantic.ts';
import { pyStr } from '../../py/repr.ts';
import { PyFloat, type PyDict, type PyValue } from '../../py/value.ts';
import type { BoundArgs } from '../tool.ts';
import { mutates, type Tau2Tool } from './tool.ts';

export type Requestor = 'user' | 'assistant';

/** A method that is not a tool (initialisation actions and assertions call these by name). */
export interface Tau2Function<C> {
  params: readonly string[];
  defaults?: Readonly<Record<string, PyValue>>;
  run(ctx: C, args: BoundArgs): PyValue;
}

/** One toolkit instance (τ²'s `ToolKitBase` subclass) bound to its context. */
export interface Toolkit<C = unknown> {
  /** The Python class name (TypeErrors and AttributeErrors quote it). */
  className: string;
  context: C;
  tools: readonly Tau2Tool<C>[];
  /** Other methods callable as environment functions (`set_user_info`, `assert_*`, …). */
  functions?: Readonly<Record<string, Tau2Function<C>>>;
  /** `get_db_hash()` of the toolkit's database. */
  dbHash(): string;
  /** `update_db(data)`: the database becomes `Model.model_validate(addict_merge(db.model_dump(), data))`. */
  updateDb?(data: PyDict): void;
}

/** What `Environment.set_state` applies before a conversation (τ²'s `InitialState` less history). */
export interface InitialStateSpec {
  agentData: PyDict | null;
  userData: PyDict | null;
  initializationActions: readonly { envType: Requestor; funcName: string; arguments: PyDict }[];
}

export interface ToolCallRequest {
  id: string;
  name: string;
  arguments: PyDict;
  requestor: Requestor;
}

export interface ToolResponse {
  id: string;
  content: string;
  error: boolean;
  requestor: Requestor;
}

/** What a τ² domain provides to build its environment. */
export interface EnvironmentParts {
  domain: string;
  agent: Toolkit;
  user?: Toolkit;
  /** `TelecomEnvironment.sync_tools` and the like; default: nothing. */
  sync?: () => void;
}

function quoteList(names: readonly string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0]!;
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/** Binds keyword arguments to a method as CPython 3.11 does (unexpected first, then missing). */
export function bindMethod(qualname: string, params: readonly string[], defaults: Readonly<Record<string, PyValue>> | undefined, kwargs: PyDict): BoundArgs {
  const bound: Record<string, PyValue> = {};
  for (const [k, v] of kwargs) {
    if (!params.includes(k)) throw typeError(`${qualname}() got an unexpected keyword argument '${k}'`);
    bound[k] = v;
  }
  const missing: string[] = [];
  for (const p of params) {
    if (Object.hasOwn(bound, p)) continue;
    if (defaults && Object.hasOwn(defaults, p)) bound[p] = defaults[p]!;
    else missing.push(p);
  }
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'argument' : 'arguments';
    throw typeError(`${qualname}() missing ${missing.length} required positional ${noun}: ${quoteList(missing)}`);
  }
  return bound;
}

/**
 * `Environment.to_json_str`: a str as it is; anything else through `json.dumps` after models
 * are dumped as they are and every number or bool inside plain containers becomes its `str()`.
 */
export function toJsonStr(v: PyValue): string {
  if (typeof v === 'string') return v;
  return dumps(processResponse(v));
}

function processResponse(v: PyValue): PyValue {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v instanceof PyFloat) return pyStr(v);
  if (Array.isArray(v)) return v.map(processResponse);
  if (modelOf(v)) return v;
  const out: PyDict = new Map();
  for (const [k, x] of v) out.set(k, processResponse(x));
  return out;
}

export class Tau2Environment {
  readonly domain: string;
  readonly agent: Toolkit;
  readonly user: Toolkit | undefined;
  private readonly syncFn: (() => void) | undefined;

  constructor(
    parts: EnvironmentParts,
    readonly soloMode = false,
  ) {
    this.domain = parts.domain;
    this.agent = parts.agent;
    this.user = parts.user;
    this.syncFn = parts.sync;
    if (soloMode) {
      const overlap = this.agent.tools.filter((t) => this.user?.tools.some((u) => u.name === t.name));
      if (overlap.length > 0) throw new Error(`Tool names overlap: ${overlap.map((t) => t.name).join(', ')}`);
    }
    this.sync();
  }

  sync(): void {
    this.syncFn?.();
  }

  private static call(kit: Toolkit, name: string, kwargs: PyDict): PyValue {
    const tool = kit.tools.find((t) => t.name === name);
    if (!tool) throw valueError(`Tool '${name}' not found.`);
    const bound = bindMethod(`${tool.owner ?? kit.className}.${tool.name}`, tool.params, tool.defaults, kwargs);
    return tool.run(kit.context, bound);
  }

  /** `Environment.make_tool_call(name, requestor, **kwargs)` (no sync). Throws `PyError`. */
  makeToolCall(name: string, requestor: Requestor, kwargs: PyDict): PyValue {
    // The call site is `make_tool_call(name, requestor=…, **arguments)`.
    if (kwargs.has('requestor')) {
      throw typeError("tau2.environment.environment.Environment.make_tool_call() got multiple values for keyword argument 'requestor'");
    }
    for (const k of kwargs.keys()) {
      if (k === 'self' || k === 'tool_name') throw typeError(`Environment.make_tool_call() got multiple values for argument '${k}'`);
    }
    if (requestor === 'user') {
      if (this.soloMode) throw valueError('User tool calls are not allowed in solo mode');
      if (!this.user) throw valueError('User tools not available');
      return Tau2Environment.call(this.user, name, kwargs);
    }
    if (this.soloMode && this.user?.tools.some((t) => t.name === name)) return Tau2Environment.call(this.user, name, kwargs);
    return Tau2Environment.call(this.agent, name, kwargs);
  }

  /** `Environment.get_response`: the observation text, the error flag; syncs after a success. */
  getResponse(call: ToolCallRequest): ToolResponse {
    let content: string;
    let error = false;
    try {
      const resp = this.makeToolCall(call.name, call.requestor, call.arguments);
      this.sync();
      content = toJsonStr(resp);
    } catch (e) {
      error = true;
      content = e instanceof PyError ? `Error: ${e.pyMessage}` : `Error: internal error in ${call.name}: ${e instanceof Error ? e.message : String(e)}`;
    }
    return { id: call.id, content, error, requestor: call.requestor };
  }

  hasTool(name: string): boolean {
    return this.agent.tools.some((t) => t.name === name) || (this.user?.tools.some((t) => t.name === name) ?? false);
  }

  /** Whether replaying the tool changes state (unknown names: assumed to, as τ² does). */
  isMutating(name: string): boolean {
    for (const kit of [this.agent, this.user]) {
      const t = kit?.tools.find((x) => x.name === name);
      if (t) return mutates(t);
    }
    return true;
  }

  /** `Environment.run_env_function_call`: any method of either toolkit, then `sync_tools`. */
  runFunction(envType: Requestor, funcName: string, args: PyDict): PyValue {
    const kit = envType === 'user' ? this.user : this.agent;
    if (!kit) throw new PyError('AttributeError', `'NoneType' object has no attribute '${funcName}'`);
    const tool = kit.tools.find((t) => t.name === funcName);
    const fn: Tau2Function<unknown> | undefined = tool ?? kit.functions?.[funcName];
    if (!fn) throw new PyError('AttributeError', `'${kit.className}' object has no attribute '${funcName}'`);
    const bound = bindMethod(`${kit.className}.${funcName}`, fn.params, fn.defaults, args);
    const res = fn.run(kit.context, bound);
    this.sync();
    return res;
  }

  /**
   * `Environment.set_state` for a task's initial state: merge the initialisation data into the
   * databases, run the initialisation actions (each followed by `sync_tools`), then sync.
   */
  setInitialState(state: InitialStateSpec | null): void {
    if (state?.agentData) {
      if (!this.agent.updateDb) throw new Error(`${this.domain}: the agent toolkit cannot take initialization_data.agent_data`);
      this.agent.updateDb(state.agentData);
    }
    if (state?.userData) {
      if (!this.user?.updateDb) throw new Error(`${this.domain}: the user toolkit cannot take initialization_data.user_data`);
      this.user.updateDb(state.userData);
    }
    for (const a of state?.initializationActions ?? []) this.runFunction(a.envType, a.funcName, a.arguments);
    this.sync();
  }

  dbHash(): string {
    return this.agent.dbHash();
  }

  userDbHash(): string | null {
    return this.user ? this.user.dbHash() : null;
  }
}
