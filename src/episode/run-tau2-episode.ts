/**
 * One τ²-bench episode with dual control (τ²'s half-duplex orchestrator): the agent greets,
 * the user answers in words or with tool calls on its own toolkit (their results go back to the
 * user only), the agent answers in words or with tool calls on its toolkit; `sync_tools` runs
 * after every step. It ends when the agent's text contains ###STOP### (agent stop), the user's
 * contains ###STOP###, ###TRANSFER### or ###OUT-OF-SCOPE### (user stop), after `maxSteps`
 * steps (every message routed counts one, as τ² counts) or `maxErrors` failed tool calls.
 * Solo mode (telecom): no user; the agent has both toolkits and the task's ticket, and a text
 * that is not a stop ends the episode as an agent error.
 *
 * The agent is any TARL agent (it sees only what the user says and its own tool results); the
 * record is a TARL trajectory (the agent's view, one step per agent turn) plus τ²'s full
 * message list and reward breakdown. Never throws: a failing participant ends the episode with
 * `termination: 'error'`, recorded with its reason.
 */
import type { Agent } from '../agents/agent.ts';
import type { ChatMessage } from '../chat/messages.ts';
import type { Task } from '../dataset/task.ts';
import type { Tau2Task } from '../dataset/tau2-task.ts';
import { initialEnvironment } from '../sandbox/tau2/replay.ts';
import type { ToolResponse } from '../sandbox/tau2/environment.ts';
import type { EnvironmentOptions, Tau2World } from '../sandbox/tau2/world.ts';
import type { ToolDefinition } from '../sandbox/tool-schema.ts';
import { isUserStop, type Tau2UserSimulator } from '../users/tau2-user.ts';
import { evaluateTau2, type NlJudge, type Tau2RewardInfo } from '../verify/tau2-reward.ts';
import { storeMessages, type Tau2Message, type Tau2Termination } from './tau2-messages.ts';
import { addUsage, recordAction, TRAJECTORY_SCHEMA_VERSION, zeroUsage, type StepRecord, type Termination, type Trajectory } from './trajectory.ts';
import { environmentOptionsFor } from '../sandbox/tau2/replay.ts';

export const TAU2_FIRST_AGENT_MESSAGE = 'Hi! How can I help you today?';
export const TAU2_AGENT_STOP = '###STOP###';
export const TAU2_MAX_STEPS = 200;
export const TAU2_MAX_ERRORS = 10;

export interface Tau2EpisodeSpec {
  world: Tau2World;
  task: Tau2Task;
  agent: Agent;
  /** Absent in solo mode. */
  user?: Tau2UserSimulator;
  solo?: boolean;
  trial: number;
  seed: number;
  /** The split the task was drawn from (recorded). */
  split?: string;
  maxSteps?: number;
  maxErrors?: number;
  judge?: NlJudge;
  /** Extra environment options (e.g. shared process state); banking's read-log allowlist is derived from the task. */
  environment?: EnvironmentOptions;
  signal?: AbortSignal;
}

/** A summary of a τ² task in TARL's task shape, for agents that only read ids. */
export function tau2TaskSummary(task: Tau2Task, domain: string, split = 'full'): Task {
  return { id: task.id, domain, split, index: task.index, userId: '', instruction: '', actions: [], outputs: [] };
}

const TERMINATIONS: Record<Tau2Termination, Termination> = {
  agent_stop: 'agent_stop',
  user_stop: 'user_stop',
  max_steps: 'max_steps',
  too_many_errors: 'too_many_errors',
  agent_error: 'error',
  user_error: 'error',
};

/** The solo agent's system prompt: the solo policy, then the ticket it must resolve alone. */
export function soloPrompt(policy: string, ticket: string | null): string {
  return `${policy}\n\n<ticket>\n${ticket ?? ''}\n</ticket>\n\nYou have both your tools and the customer's device tools; resolve the ticket with tool calls only, then reply ${TAU2_AGENT_STOP}.`;
}

export async function runTau2Episode(spec: Tau2EpisodeSpec): Promise<Trajectory> {
  const { world, task, agent, trial, seed } = spec;
  const solo = spec.solo ?? false;
  const maxSteps = spec.maxSteps ?? TAU2_MAX_STEPS;
  const maxErrors = spec.maxErrors ?? TAU2_MAX_ERRORS;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const envOptions: EnvironmentOptions = { ...environmentOptionsFor(task), ...spec.environment, ...(solo && { soloMode: true }) };
  const policy = solo ? soloPrompt(world.policy({ soloMode: true }), task.ticket) : world.policy();
  const agentTools: ToolDefinition[] = [...world.agentTools(), ...(solo ? world.userTools() : [])];
  const messages: ChatMessage[] = [{ role: 'system', content: policy }];
  const tau2: Tau2Message[] = [];
  const steps: StepRecord[] = [];
  let agentUsage = zeroUsage();
  let userUsage = zeroUsage();
  let termination: Tau2Termination = 'max_steps';
  let error: string | undefined;
  let stepCount = 0;
  let errors = 0;
  let done = false;
  const count = (toEnv: boolean): void => {
    stepCount++;
    if (toEnv) return;
    if (stepCount >= maxSteps) {
      done = true;
      termination = 'max_steps';
    }
    if (errors >= maxErrors) {
      done = true;
      termination = 'too_many_errors';
    }
  };
  let env;
  try {
    env = initialEnvironment(world, task, envOptions);
    const agentEp = agent.start({ task: tau2TaskSummary(task, world.domain, spec.split), tau2Task: task, policy, tools: agentTools, seed, trial });
    if (agentEp.systemPrompt !== undefined) messages[0] = { role: 'system', content: agentEp.systemPrompt };
    const userEp = solo ? undefined : spec.user?.start({ task, tools: world.userTools(), seed, trial });
    if (!solo && !userEp) throw new Error('a τ² episode needs a user simulator unless it runs in solo mode');
    let toUser: { agentText: string } | { toolResults: ToolResponse[] } | undefined;
    if (!solo) {
      messages.push({ role: 'assistant', content: TAU2_FIRST_AGENT_MESSAGE });
      tau2.push({ role: 'assistant', content: TAU2_FIRST_AGENT_MESSAGE });
      toUser = { agentText: TAU2_FIRST_AGENT_MESSAGE };
    }
    let lastRecord: StepRecord | undefined;
    while (!done) {
      if (toUser && userEp) {
        // The user's turn: tool calls on its own toolkit until it says something.
        const turn = await userEp.next(toUser, spec.signal);
        userUsage = addUsage(userUsage, turn.usage);
        if (turn.toolCalls.length > 0) {
          tau2.push({ role: 'user', content: null, toolCalls: turn.toolCalls });
          count(true);
          const results = turn.toolCalls.map((c) => env!.getResponse({ ...c, requestor: 'user' }));
          for (const r of results) {
            tau2.push({ role: 'tool', id: r.id, content: r.content, error: r.error, requestor: 'user' });
            if (r.error) errors++;
          }
          env.sync();
          count(false);
          toUser = { toolResults: results };
          continue;
        }
        const text = turn.content ?? '';
        tau2.push({ role: 'user', content: text });
        messages.push({ role: 'user', content: text });
        if (lastRecord) lastRecord.userReply = text;
        env.sync();
        toUser = undefined;
        if (isUserStop(text)) {
          termination = 'user_stop';
          break;
        }
        count(false);
        continue;
      }
      // The agent's turn.
      const t0 = performance.now();
      const step = await agentEp.act(messages, spec.signal);
      agentUsage = addUsage(agentUsage, step.usage);
      messages.push(step.message);
      const record: StepRecord = { turn: steps.length, action: recordAction(step.action), messageIndex: messages.length - 1, wallMs: 0 };
      if (step.usage) record.usage = step.usage;
      if (step.tokens) record.tokens = step.tokens;
      if (step.note) record.note = step.note;
      steps.push(record);
      lastRecord = record;
      const action = step.action;
      if (action.type === 'tool') {
        tau2.push({ role: 'assistant', content: null, toolCalls: [{ id: action.callId, name: action.name, arguments: action.kwargs, requestor: 'assistant' }] });
        count(true);
        const r: ToolResponse = action.argumentError
          ? { id: action.callId, content: action.argumentError, error: true, requestor: 'assistant' }
          : env.getResponse({ id: action.callId, name: action.name, arguments: action.kwargs, requestor: 'assistant' });
        if (r.error) errors++;
        record.observation = r.content;
        tau2.push({ role: 'tool', id: r.id, content: r.content, error: r.error, requestor: 'assistant' });
        messages.push({ role: 'tool', tool_call_id: action.callId, name: action.name, content: r.content });
        env.sync();
        record.wallMs = performance.now() - t0;
        count(false);
        continue;
      }
      tau2.push({ role: 'assistant', content: action.content });
      env.sync();
      record.wallMs = performance.now() - t0;
      if (action.content.includes(TAU2_AGENT_STOP)) {
        termination = 'agent_stop';
        break;
      }
      if (solo) {
        termination = 'agent_error';
        error = 'in solo mode the agent may only make tool calls or stop';
        break;
      }
      count(false);
      toUser = { agentText: action.content };
    }
  } catch (e) {
    termination = 'agent_error';
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  let reward: Tau2RewardInfo;
  try {
    reward = await evaluateTau2(world, task, tau2, { termination, environment: envOptions, ...(spec.judge && { judge: spec.judge }) });
  } catch (e) {
    error ??= `evaluation failed: ${e instanceof Error ? e.message : String(e)}`;
    reward = await evaluateTau2(world, task, [], { termination: 'agent_error' });
  }
  const out: Trajectory = {
    schema: TRAJECTORY_SCHEMA_VERSION,
    taskId: task.id,
    domain: world.domain,
    split: spec.split ?? 'full',
    taskIndex: task.index,
    trial,
    seed,
    agent: agent.name,
    user: solo ? 'solo' : (spec.user?.name ?? 'none'),
    messages,
    steps,
    termination: error !== undefined && termination === 'agent_error' ? 'error' : TERMINATIONS[termination],
    reward: reward.reward ?? 0,
    tau2: { messages: storeMessages(tau2), termination, reward, solo },
    usage: { agent: agentUsage, user: userUsage },
    wallMs: performance.now() - started,
    startedAt,
  };
  if (error !== undefined) out.error = error;
  return out;
}
