/**
 * A gym-shaped τ²-bench environment for RL frameworks outside TARL (ours, not a port of
 * τ²'s thread-based gym): `reset` puts a task's world in its initial state and runs the user
 * simulator's opening; each `step` takes one agent action — a tool call (answered with the
 * tool's result) or a message to the user (answered with the user's next message, after any
 * tool calls the user makes on its own toolkit, whose results the agent never sees). Episodes
 * end as τ²'s do (agent ###STOP###, user stop tokens, max steps, max errors); the reward is 0
 * until the end, then τ²'s reward of the whole conversation (sparse, terminal).
 */
import type { Tau2Task } from '../dataset/tau2-task.ts';
import { TAU2_AGENT_STOP, TAU2_FIRST_AGENT_MESSAGE, TAU2_MAX_ERRORS, TAU2_MAX_STEPS, soloPrompt } from '../episode/run-tau2-episode.ts';
import type { Tau2Message, Tau2Termination } from '../episode/tau2-messages.ts';
import type { PyDict } from '../py/value.ts';
import type { Tau2Environment } from '../sandbox/tau2/environment.ts';
import { environmentOptionsFor, initialEnvironment } from '../sandbox/tau2/replay.ts';
import type { OpenAiToolSchema } from '../sandbox/tau2/tool.ts';
import type { Tau2World } from '../sandbox/tau2/world.ts';
import { isUserStop, type Tau2UserEpisode, type Tau2UserSimulator } from '../users/tau2-user.ts';
import { evaluateTau2, type NlJudge, type Tau2RewardInfo } from '../verify/tau2-reward.ts';

export type GymAction = { type: 'tool'; name: string; arguments: PyDict; id?: string } | { type: 'message'; content: string };

/** What the agent observes after reset or a step. */
export interface GymObservation {
  /** New messages for the agent since its last action: the user's text, or its tool's result. */
  messages: ({ role: 'user'; content: string } | { role: 'tool'; tool_call_id: string; name: string; content: string; error: boolean })[];
}

export interface GymStepResult {
  observation: GymObservation;
  /** 0 until the episode ends; then τ²'s reward (null when a basis component needs an absent judge). */
  reward: number | null;
  terminated: boolean;
  /** Always false: τ²'s limits end episodes as terminations (max steps, errors). */
  truncated: boolean;
  info: { termination?: Tau2Termination; rewardInfo?: Tau2RewardInfo; steps: number; errors: number };
}

export interface GymResetResult {
  observation: GymObservation;
  info: { taskId: string; policy: string; tools: readonly OpenAiToolSchema[]; solo: boolean };
}

export interface Tau2GymOptions {
  world: Tau2World;
  task: Tau2Task;
  /** Absent in solo mode (telecom). */
  user?: Tau2UserSimulator;
  solo?: boolean;
  seed?: number;
  trial?: number;
  maxSteps?: number;
  maxErrors?: number;
  judge?: NlJudge;
}

export class Tau2GymEnv {
  private env!: Tau2Environment;
  private userEp: Tau2UserEpisode | undefined;
  private readonly messages: Tau2Message[] = [];
  private steps = 0;
  private errors = 0;
  private calls = 0;
  private done = false;
  private termination: Tau2Termination | undefined;
  private result: GymStepResult | undefined;

  constructor(readonly opts: Tau2GymOptions) {}

  get finished(): boolean {
    return this.done;
  }

  /** The whole τ² conversation so far (both sides, both toolkits). */
  get conversation(): readonly Tau2Message[] {
    return this.messages;
  }

  async reset(signal?: AbortSignal): Promise<GymResetResult> {
    const { world, task } = this.opts;
    const solo = this.opts.solo ?? false;
    this.env = initialEnvironment(world, task, { ...environmentOptionsFor(task), ...(solo && { soloMode: true }) });
    const tools = [...world.agentTools(), ...(solo ? world.userTools() : [])];
    const policy = solo ? soloPrompt(world.policy({ soloMode: true }), task.ticket) : world.policy();
    if (solo) return { observation: { messages: [] }, info: { taskId: task.id, policy, tools, solo } };
    if (!this.opts.user) throw new Error('a τ² gym episode needs a user simulator unless it runs in solo mode');
    this.userEp = this.opts.user.start({ task, tools: world.userTools(), seed: this.opts.seed ?? 0, trial: this.opts.trial ?? 0 });
    this.messages.push({ role: 'assistant', content: TAU2_FIRST_AGENT_MESSAGE });
    const said = await this.userTurn({ agentText: TAU2_FIRST_AGENT_MESSAGE }, signal);
    return { observation: { messages: said === null ? [] : [{ role: 'user', content: said }] }, info: { taskId: task.id, policy, tools, solo } };
  }

  private count(): void {
    this.steps++;
    if (this.steps >= (this.opts.maxSteps ?? TAU2_MAX_STEPS)) this.end('max_steps');
    if (this.errors >= (this.opts.maxErrors ?? TAU2_MAX_ERRORS)) this.end('too_many_errors');
  }

  private end(t: Tau2Termination): void {
    if (this.done) return;
    this.done = true;
    this.termination = t;
  }

  /** Runs the user until it says something; returns the text (null when the episode ended first). */
  private async userTurn(input: { agentText: string } | { toolResults: ReturnType<Tau2Environment['getResponse']>[] }, signal?: AbortSignal): Promise<string | null> {
    let next = input;
    for (;;) {
      const turn = await this.userEp!.next(next, signal);
      if (turn.toolCalls.length > 0) {
        this.messages.push({ role: 'user', content: null, toolCalls: turn.toolCalls });
        this.steps++;
        const results = turn.toolCalls.map((c) => this.env.getResponse({ ...c, requestor: 'user' }));
        for (const r of results) {
          this.messages.push({ role: 'tool', id: r.id, content: r.content, error: r.error, requestor: 'user' });
          if (r.error) this.errors++;
        }
        this.env.sync();
        this.count();
        if (this.done) return null;
        next = { toolResults: results };
        continue;
      }
      const text = turn.content ?? '';
      this.messages.push({ role: 'user', content: text });
      this.env.sync();
      if (isUserStop(text)) this.end('user_stop');
      else this.count();
      return text;
    }
  }

  async step(action: GymAction, signal?: AbortSignal): Promise<GymStepResult> {
    if (this.done) return this.result ?? (await this.finish({ messages: [] }));
    const obs: GymObservation = { messages: [] };
    if (action.type === 'tool') {
      const id = action.id ?? `call_${this.calls++}`;
      this.messages.push({ role: 'assistant', content: null, toolCalls: [{ id, name: action.name, arguments: action.arguments, requestor: 'assistant' }] });
      this.steps++;
      const r = this.env.getResponse({ id, name: action.name, arguments: action.arguments, requestor: 'assistant' });
      if (r.error) this.errors++;
      this.messages.push({ role: 'tool', id, content: r.content, error: r.error, requestor: 'assistant' });
      this.env.sync();
      this.count();
      obs.messages.push({ role: 'tool', tool_call_id: id, name: action.name, content: r.content, error: r.error });
    } else {
      this.messages.push({ role: 'assistant', content: action.content });
      this.env.sync();
      if (action.content.includes(TAU2_AGENT_STOP)) this.end('agent_stop');
      else if (this.opts.solo) this.end('agent_error');
      else {
        this.count();
        if (!this.done) {
          const said = await this.userTurn({ agentText: action.content }, signal);
          if (said !== null) obs.messages.push({ role: 'user', content: said });
        }
      }
    }
    if (!this.done) return { observation: obs, reward: 0, terminated: false, truncated: false, info: { steps: this.steps, errors: this.errors } };
    return this.finish(obs);
  }

  private async finish(obs: GymObservation): Promise<GymStepResult> {
    const termination = this.termination ?? 'agent_error';
    const rewardInfo = await evaluateTau2(this.opts.world, this.opts.task, this.messages, {
      termination,
      environment: { ...environmentOptionsFor(this.opts.task), ...(this.opts.solo && { soloMode: true }) },
      ...(this.opts.judge && { judge: this.opts.judge }),
    });
    this.result = { observation: obs, reward: rewardInfo.reward, terminated: true, truncated: false, info: { termination, rewardInfo, steps: this.steps, errors: this.errors } };
    return this.result;
  }
}
