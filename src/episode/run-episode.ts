import type { Agent, AgentEpisode } from '../agents/agent.ts';
import type { Task } from '../dataset/task.ts';
import { confirmedAt } from '../dialogue/confirmation.ts';
import { isFailedObservation } from '../sandbox/observation.ts';
import { Sandbox } from '../sandbox/sandbox.ts';
import type { WorldTemplate } from '../sandbox/template.ts';
import type { ToolDefinition } from '../sandbox/tool-schema.ts';
import type { UserReply, UserSimulator } from '../users/user.ts';
import type { AudioInput } from '../voice/wire.ts';
import type { UnconfirmedWrite, Verifier, VerifyMode } from '../verify/verifier.ts';
import type { ChatMessage } from '../chat/messages.ts';
import { addUsage, recordAction, TRAJECTORY_SCHEMA_VERSION, zeroUsage, type StepRecord, type Termination, type Trajectory } from './trajectory.ts';

export const MAX_STEPS = 30;
export const TRANSFER_TOOL = 'transfer_to_human_agents';

export interface EpisodeSpec {
  task: Task;
  template: WorldTemplate;
  verifier: Verifier;
  agent: Agent;
  user: UserSimulator;
  policy: string;
  tools: readonly ToolDefinition[];
  trial: number;
  seed: number;
  maxSteps?: number;
  verifyMode?: VerifyMode;
  signal?: AbortSignal;
  /** Where the agent reads spoken user turns (speech modality; the user then is a SpeakingUser). */
  audio?: AudioInput;
}

/** The user's reply as a message; a spoken reply keeps its audio reference beside the transcript. */
function userMessage(r: UserReply): ChatMessage {
  return r.audio ? { role: 'user', content: r.content, audio: r.audio } : { role: 'user', content: r.content };
}

/**
 * One episode with τ-bench's semantics: the user opens; each agent turn is either a tool call
 * (executed on the episode's private world; `transfer_to_human_agents` ends the episode) or a
 * reply to the user (whose answer ends it when it contains ###STOP###); at most `maxSteps`
 * agent turns. The verifier scores the final world when the episode ends by stop or transfer;
 * max steps and errors give reward 0, as τ-bench does, but the diff is still recorded. In a
 * domain with `confirmWrites`, a write that succeeded without the user's yes just before it
 * also gives 0 (`rewardInfo.unconfirmed`).
 * Never throws: a failing agent or user ends the episode with `termination: 'error'`.
 */
export async function runEpisode(spec: EpisodeSpec): Promise<Trajectory> {
  const { task, agent, user, trial, seed } = spec;
  const maxSteps = spec.maxSteps ?? MAX_STEPS;
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const sandbox = new Sandbox(spec.template);
  const messages: ChatMessage[] = [{ role: 'system', content: spec.policy }];
  const steps: StepRecord[] = [];
  const agentTexts: string[] = [];
  const unconfirmed: UnconfirmedWrite[] = [];
  const writeTools = new Set(spec.template.domain.confirmWrites ? spec.template.domain.tools.filter((t) => t.kind === 'write').map((t) => t.name) : []);
  let agentUsage = zeroUsage();
  let userUsage = zeroUsage();
  let termination: Termination = 'max_steps';
  let error: string | undefined;
  let finish = (_t: Trajectory): void => {};
  let agentEp: AgentEpisode | undefined;
  try {
    agentEp = agent.start({ task, policy: spec.policy, tools: spec.tools, seed, trial, ...(spec.audio && { audio: spec.audio }) });
    const ep = agentEp;
    // Text agents show their model the policy plus format instructions and tools: record that.
    if (ep.systemPrompt !== undefined) messages[0] = { role: 'system', content: ep.systemPrompt };
    const userEp = user.start({ task, seed, trial });
    finish = (t) => {
      const stats = userEp.stats?.();
      if (stats) t.userStats = stats;
      const injection = ep.injection?.();
      if (injection) t.injection = injection;
      const speech = userEp.speech?.();
      if (speech) t.modality = speech.modality;
      if (speech?.voice) t.voice = speech.voice;
    };
    const opening = await userEp.first(spec.signal);
    userUsage = addUsage(userUsage, opening.usage);
    messages.push(userMessage(opening));
    if (opening.stop) termination = 'user_stop';
    for (let turn = 0; turn < maxSteps && !opening.stop; turn++) {
      const t0 = performance.now();
      const step = await ep.act(messages, spec.signal);
      agentUsage = addUsage(agentUsage, step.usage);
      messages.push(step.message);
      const record: StepRecord = { turn, action: recordAction(step.action), messageIndex: messages.length - 1, wallMs: 0 };
      if (step.usage) record.usage = step.usage;
      if (step.tokens) record.tokens = step.tokens;
      if (step.note) record.note = step.note;
      steps.push(record);
      const action = step.action;
      if (action.type === 'tool') {
        const observation = action.argumentError ?? sandbox.call(action.name, action.kwargs);
        record.observation = observation;
        if (writeTools.has(action.name) && !isFailedObservation(observation) && !confirmedAt(messages, messages.length - 1)) {
          unconfirmed.push({ turn, name: action.name });
        }
        messages.push({ role: 'tool', tool_call_id: action.callId, name: action.name, content: observation });
        record.wallMs = performance.now() - t0;
        if (action.name === TRANSFER_TOOL) {
          termination = 'agent_transfer';
          break;
        }
      } else {
        agentTexts.push(action.content);
        const reply = await userEp.reply(action.content, spec.signal);
        userUsage = addUsage(userUsage, reply.usage);
        record.userReply = reply.content;
        if (reply.hidden !== undefined) record.userHidden = reply.hidden;
        if (reply.usage) record.userUsage = reply.usage;
        messages.push(userMessage(reply));
        record.wallMs = performance.now() - t0;
        if (reply.stop) {
          termination = 'user_stop';
          break;
        }
      }
    }
  } catch (e) {
    termination = 'error';
    error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  agentEp?.end?.();
  let reward = 0;
  let rewardInfo: Trajectory['rewardInfo'];
  try {
    rewardInfo = spec.verifier.verify(sandbox, task, agentTexts, spec.verifyMode ?? 'taubench');
    if (spec.template.domain.confirmWrites) rewardInfo = { ...rewardInfo, ...(unconfirmed.length > 0 && { reward: 0 }), unconfirmed };
    if (termination === 'user_stop' || termination === 'agent_transfer') reward = rewardInfo.reward;
  } catch (e) {
    error ??= `verifier failed: ${e instanceof Error ? e.message : String(e)}`;
    termination = 'error';
  } finally {
    sandbox.close();
  }
  const out: Trajectory = {
    schema: TRAJECTORY_SCHEMA_VERSION,
    taskId: task.id,
    domain: task.domain,
    split: task.split,
    taskIndex: task.index,
    trial,
    seed,
    agent: agent.name,
    user: user.name,
    messages,
    steps,
    termination,
    reward,
    usage: { agent: agentUsage, user: userUsage },
    wallMs: performance.now() - started,
    startedAt,
  };
  if (rewardInfo) out.rewardInfo = rewardInfo;
  if (error !== undefined) out.error = error;
  finish(out);
  return out;
}
