/**
 * τ²-bench's reward (`evaluate_simulation(…, EvaluationType.ALL)`): the product of the task's
 * reward basis among
 *   DB            gold and predicted environments have equal agent and user database hashes;
 *   ENV_ASSERTION every assertion function, run on the predicted environment, returns its value;
 *   ACTION        every gold action is matched by some agent or user tool call (`compare_args`);
 *   COMMUNICATE   every `communicate_info` string occurs in an assistant text (lowercased, the
 *                 message's commas removed);
 *   NL_ASSERTION  an LLM judge over the transcript; an empty list scores 1 without a call.
 * The predicted environment is rebuilt as τ² does: a fresh environment in the task's initial
 * state, replaying only the trajectory's state-changing tool calls (each output must equal the
 * recorded one, compared as parsed JSON). The gold environment runs the gold actions without
 * syncing (τ²'s quirk: telecom's DB component is often 0 for the gold path; it is not in
 * telecom's basis). Only simulations that ended by agent or user stop are evaluated.
 */
import type { RewardType, Tau2Task } from '../dataset/tau2-task.ts';
import { dumps } from '../py/dumps.ts';
import { eq } from '../py/ops.ts';
import { parsePy } from '../py/parse.ts';
import { PyError } from '../py/errors.ts';
import type { PyDict, PyValue } from '../py/value.ts';
import type { Tau2Message, Tau2Termination, Tau2ToolCall } from '../episode/tau2-messages.ts';
import { initialEnvironment } from '../sandbox/tau2/replay.ts';
import type { Tau2Environment } from '../sandbox/tau2/environment.ts';
import type { EnvironmentOptions, Tau2World } from '../sandbox/tau2/world.ts';

export interface EnvAssertionCheck {
  envType: 'user' | 'assistant';
  funcName: string;
  /** The call's arguments as Python's `json.dumps` text (records stay plain JSON, int vs float kept). */
  arguments: string;
  assertValue: boolean;
  met: boolean;
  /** Set when the assertion function raised (τ² would abort the evaluation). */
  error?: string;
}

export interface NlAssertionCheck {
  assertion: string;
  met: boolean;
  justification: string;
}

/** Judges natural-language assertions over a transcript (an LLM endpoint, or a test double). */
export type NlJudge = (task: Tau2Task, messages: readonly Tau2Message[], assertions: readonly string[]) => Promise<NlAssertionCheck[]>;

export interface Tau2RewardInfo {
  rewardBasis: RewardType[];
  /** Product of the basis components; null when one of them could not be scored (no judge). */
  reward: number | null;
  components: Record<RewardType, number | null>;
  dbMatch: boolean;
  envAssertions: EnvAssertionCheck[];
  actionChecks: boolean[];
  communicateChecks: boolean[];
  nlAssertions: NlAssertionCheck[] | null;
  /** Components of the basis that could not be scored, and why. */
  unscored: { component: RewardType; why: string }[];
  /** Why the evaluation was skipped or failed (premature termination, replay divergence). */
  note?: string;
}

/** `Action.compare_with_tool_call`: same name; the compared arguments equal (Python `==`). */
export function actionMatches(action: { name: string; arguments: PyDict; compareArgs: string[] | null }, call: Tau2ToolCall): boolean {
  if (action.name !== call.name) return false;
  const keys = action.compareArgs ?? [...call.arguments.keys()];
  if (keys.length === 0) return true;
  const pick = (d: PyDict): PyDict => new Map([...d].filter(([k]) => keys.includes(k)));
  const a = pick(call.arguments);
  const b = pick(action.arguments);
  return eq(a, b);
}

/** `CommunicateEvaluator`: the info, lowercased, inside some assistant text with commas removed. */
export function communicated(info: string, messages: readonly Tau2Message[]): boolean {
  return communicatedIn(info, messages) !== undefined;
}

/** The first assistant text that communicates `info` (τ²'s rule), if any. */
export function communicatedIn(info: string, messages: readonly Tau2Message[]): string | undefined {
  const want = info.toLowerCase();
  for (const m of messages) {
    if (m.role === 'assistant' && typeof m.content === 'string' && m.content !== '' && m.content.toLowerCase().replaceAll(',', '').includes(want)) return m.content;
  }
  return undefined;
}

function toolCalls(messages: readonly Tau2Message[]): Tau2ToolCall[] {
  return messages.flatMap((m) => (m.role !== 'tool' && m.toolCalls ? m.toolCalls : []));
}

function parsedOrText(s: string): PyValue {
  try {
    return parsePy(s);
  } catch {
    return s;
  }
}

/**
 * `set_state(…, message_history=trajectory)`: replays each state-changing call of the
 * trajectory; a replayed output differing from the recorded one is a divergence (strict mode).
 */
export function replayTrajectory(env: Tau2Environment, messages: readonly Tau2Message[]): string | undefined {
  let divergence: string | undefined;
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === 'tool' || !m.toolCalls) continue;
    for (const call of m.toolCalls) {
      const result = messages.slice(i + 1).find((x) => x.role === 'tool' && x.id === call.id);
      if (!env.hasTool(call.name) || !env.isMutating(call.name)) continue;
      const r = env.getResponse(call);
      if (result?.role === 'tool' && !eq(parsedOrText(r.content), parsedOrText(result.content))) {
        divergence ??= `replayed ${call.name} (${call.id}) returned a different output than recorded`;
      }
    }
  }
  env.sync();
  return divergence;
}

export interface EvaluateOptions {
  termination: Tau2Termination;
  /** Environment options of the episode (banking's read-log allowlist, telecom solo mode). */
  environment?: EnvironmentOptions;
  /** The LLM judge for NL assertions; absent (`--no-llm`), non-empty NL assertions stay unscored. */
  judge?: NlJudge;
}

export async function evaluateTau2(world: Tau2World, task: Tau2Task, messages: readonly Tau2Message[], opts: EvaluateOptions): Promise<Tau2RewardInfo> {
  const criteria = task.criteria;
  const basis = criteria?.rewardBasis ?? [];
  const empty: Tau2RewardInfo = {
    rewardBasis: basis,
    reward: 0,
    components: { DB: null, ENV_ASSERTION: null, ACTION: null, COMMUNICATE: null, NL_ASSERTION: null },
    dbMatch: false,
    envAssertions: [],
    actionChecks: [],
    communicateChecks: [],
    nlAssertions: null,
    unscored: [],
  };
  if (opts.termination !== 'agent_stop' && opts.termination !== 'user_stop') {
    return { ...empty, note: `Simulation terminated prematurely. Termination reason: ${opts.termination}` };
  }
  if (!criteria) return { ...empty, reward: 1, note: 'No evaluation criteria' };

  // DB and environment assertions.
  const predicted = initialEnvironment(world, task, opts.environment);
  const divergence = replayTrajectory(predicted, messages);
  const gold = initialEnvironment(world, task, opts.environment);
  for (const a of criteria.actions ?? []) {
    try {
      gold.makeToolCall(a.name, a.requestor, a.arguments);
    } catch {
      // τ² only logs a failing gold action.
    }
  }
  const dbMatch = gold.dbHash() === predicted.dbHash() && gold.userDbHash() === predicted.userDbHash();
  const envAssertions: EnvAssertionCheck[] = (criteria.envAssertions ?? []).map((a) => {
    const check: EnvAssertionCheck = { envType: a.envType, funcName: a.funcName, arguments: dumps(a.arguments), assertValue: a.assertValue, met: false };
    try {
      const res = predicted.runFunction(a.envType, a.funcName, a.arguments);
      if (typeof res !== 'boolean') check.error = `Function ${a.funcName} returned ${typeof res} instead of bool`;
      else check.met = res === a.assertValue;
    } catch (e) {
      check.error = e instanceof PyError ? `${e.pyType}: ${e.pyMessage}` : String(e);
    }
    return check;
  });

  const calls = toolCalls(messages);
  const actionChecks = (criteria.actions ?? []).map((a) => calls.some((c) => actionMatches(a, c)));
  const communicateChecks = (criteria.communicateInfo ?? []).map((s) => communicated(s, messages));

  const unscored: Tau2RewardInfo['unscored'] = [];
  let nlAssertions: NlAssertionCheck[] | null = null;
  let nl: number | null = 1;
  const nlList = criteria.nlAssertions ?? [];
  if (nlList.length > 0) {
    if (opts.judge && basis.includes('NL_ASSERTION')) {
      try {
        nlAssertions = await opts.judge(task, messages, nlList);
        nl = nlAssertions.length > 0 && nlAssertions.every((c) => c.met) ? 1 : 0;
      } catch (e) {
        nl = null;
        unscored.push({ component: 'NL_ASSERTION', why: `judge failed: ${e instanceof Error ? e.message : String(e)}` });
      }
    } else {
      nl = null;
      if (basis.includes('NL_ASSERTION')) unscored.push({ component: 'NL_ASSERTION', why: 'needs an LLM judge (--no-llm or no judge endpoint)' });
    }
  }
  const components: Record<RewardType, number | null> = {
    DB: dbMatch && divergence === undefined ? 1 : 0,
    ENV_ASSERTION: envAssertions.every((c) => c.met) ? 1 : 0,
    ACTION: actionChecks.every(Boolean) ? 1 : 0,
    COMMUNICATE: communicateChecks.every(Boolean) ? 1 : 0,
    NL_ASSERTION: nl,
  };
  let reward: number | null = 1;
  for (const b of basis) {
    const c = components[b];
    reward = c === null || reward === null ? null : reward * c;
  }
  const info: Tau2RewardInfo = { rewardBasis: basis, reward, components, dbMatch, envAssertions, actionChecks, communicateChecks, nlAssertions, unscored };
  if (divergence) info.note = divergence;
  return info;
}
