import type { ChatMessage, DeltaAudio, TokenRecord, ToolCall } from '../chat/messages.ts';
import { parseCompletionText, UNREADABLE_OUTPUT } from '../chat/tool-call-format.ts';
import type { Sampler } from '../trainer/sampler.ts';
import type { RenderMessage } from '../trainer/types.ts';
import { toRenderMessages } from '../voice/render.ts';
import type { Agent, AgentAction, AgentContext, AgentEpisode, AgentStep } from './agent.ts';
import { parseToolArguments } from './tool-arguments.ts';

/** The service's chat renderer, the only tokenizer (design.md invariant 1). */
export interface PolicyRenderer {
  /** `audio`: where each spoken turn's placeholder ids start in `ids` (audio models). */
  render(p: { messages: RenderMessage[]; tools?: readonly unknown[]; generation_prompt: boolean; continuation: boolean }): Promise<{ ids: number[]; audio?: { at: number; sha256: string }[] | undefined }>;
  /** `<|im_end|>`: the stop token, and what closes a turn the sampler cut off at max tokens. */
  readonly imEndId: number;
}

export interface PolicySampling {
  temperature: number;
  topP?: number;
  maxTokens: number;
}

/** Counters every policy episode adds to (read by the RL loop for `env/` and `perf/` metrics). */
export interface PolicyCounters {
  turns: number;
  parseErrors: number;
  truncated: number;
  /** Prompts that did not extend the previous prompt and completion exactly (must stay 0). */
  prefixBreaks: number;
}

export const newPolicyCounters = (): PolicyCounters => ({ turns: 0, parseErrors: 0, truncated: 0, prefixBreaks: 0 });

/**
 * A token-native agent: our own policy, sampled through a `Sampler` (the trainer service, or a
 * completions server such as vLLM), with nothing re-rendered. Each turn renders only the
 * messages that arrived since its last completion (the tool observation or the user's reply,
 * plus the generation prompt) as a continuation, appends those ids to everything sampled so
 * far, samples, and reads the completion with the parser shared with the service. The
 * trajectory keeps, per turn, the delta ids, the sampled ids and their log-probs, so the loss
 * sees exactly the sampled tokens (invariant 1).
 *
 * Output that does not parse (a broken `<tool_call>`) becomes a tool call whose observation is
 * an `Error: …` text the model sees next turn; a completion cut off at max tokens gets its
 * `<|im_end|>` at the head of the next delta (never sampled, so never trained on).
 */
export class PolicyAgent implements Agent {
  readonly counters: PolicyCounters = newPolicyCounters();

  constructor(
    private readonly renderer: PolicyRenderer,
    private readonly sampler: Sampler,
    private readonly sampling: PolicySampling,
    readonly name = 'policy',
  ) {}

  start(ctx: AgentContext): AgentEpisode {
    return new PolicyEpisode(ctx, this.renderer, this.sampler, this.sampling, this.counters);
  }
}

class PolicyEpisode implements AgentEpisode {
  readonly systemPrompt: string;
  /** Every id of the conversation so far: deltas and completions, in order. */
  private ids: number[] = [];
  /** Audio spans in `ids` (speech episodes on an audio model), by absolute index. */
  private audio: DeltaAudio[] = [];
  /** Messages of the conversation already inside `ids`. */
  private rendered = 0;
  private closeTurn = false;
  private calls = 0;
  private turn = 0;

  constructor(
    private readonly ctx: AgentContext,
    private readonly renderer: PolicyRenderer,
    private readonly sampler: Sampler,
    private readonly sampling: PolicySampling,
    private readonly counters: PolicyCounters,
  ) {
    this.systemPrompt = ctx.policy;
    this.sampler.enter?.();
  }

  end(): void {
    this.sampler.exit?.();
  }

  async act(messages: readonly ChatMessage[]): Promise<AgentStep> {
    const first = this.rendered === 0;
    const delta = messages.slice(this.rendered);
    if (delta.length === 0) throw new Error('policy agent: no new message since its last turn');
    const rendered = await this.renderer.render({
      messages: toRenderMessages(delta, this.ctx.audio),
      ...(first && { tools: this.ctx.tools }),
      generation_prompt: true,
      continuation: !first,
    });
    const shift = this.closeTurn ? 1 : 0;
    const deltaIds = this.closeTurn ? [this.renderer.imEndId, ...rendered.ids] : rendered.ids;
    // A spoken turn's placeholders stand for its file: the record keeps where (in the delta) and which.
    const deltaAudio: DeltaAudio[] = (rendered.audio ?? []).map((a) => ({ at: a.at + shift, sha256: a.sha256 }));
    const before = this.ids.length;
    const prompt = [...this.ids, ...deltaIds];
    if (!extends_(prompt, this.ids, before)) this.counters.prefixBreaks++;
    const audio = [...this.audio, ...deltaAudio.map((a) => ({ at: before + a.at, sha256: a.sha256 }))];
    const source = this.ctx.audio?.source;
    const [completion] = await this.sampler.sample([
      {
        promptIds: prompt, n: 1, maxTokens: this.sampling.maxTokens, temperature: this.sampling.temperature,
        ...(this.sampling.topP !== undefined && { topP: this.sampling.topP }), stopTokenIds: [this.renderer.imEndId],
        // Each turn draws from its own stream (episode seed, turn): batching never changes a sample.
        seed: turnSeed(this.ctx.seed, this.turn++),
        ...(audio.length > 0 && source && { audio: audio.map((a) => ({ at: a.at, path: source.path(a.sha256) })) }),
      },
    ]);
    const c = completion![0]!;
    this.ids = [...prompt, ...c.ids];
    this.audio = audio;
    this.rendered = messages.length + 1; // our assistant message is in `ids` now
    this.closeTurn = c.finishReason === 'length';
    this.counters.turns++;
    if (this.closeTurn) this.counters.truncated++;

    const read = parseCompletionText(c.text);
    const tokens: TokenRecord = { deltaIds, completionIds: c.ids, logprobs: c.logprobs, parsed: read.parsed, finishReason: c.finishReason };
    if (deltaAudio.length > 0) tokens.deltaAudio = deltaAudio;
    const first_ = read.toolCalls[0];
    if (!read.parsed || (c.finishReason === 'length' && !first_)) {
      // Broken tool-call markup, or a reply cut off mid-way: say so to the model as an observation.
      this.counters.parseErrors++;
      const callId = `call_${this.calls++}`;
      const name = first_?.name ?? 'unparsed';
      const why = c.finishReason === 'length' ? 'the reply was cut off at the token limit' : 'a <tool_call> block is not a JSON object with a string "name"';
      const action: AgentAction = { type: 'tool', name, kwargs: new Map(), callId, argumentError: `${UNREADABLE_OUTPUT} (${why}).` };
      const call: ToolCall = { id: callId, type: 'function', function: { name, arguments: first_?.arguments ?? '' } };
      return { action, message: { role: 'assistant', content: read.content, tool_calls: [call] }, tokens, note: 'unparseable output' };
    }
    if (!first_) {
      const content = read.content ?? '';
      return { action: { type: 'respond', content }, message: { role: 'assistant', content: read.content }, tokens };
    }
    const callId = `call_${this.calls++}`;
    const args = parseToolArguments(first_.name, first_.arguments);
    const action: AgentAction = { type: 'tool', name: first_.name, kwargs: args.ok ? args.kwargs : new Map(), callId };
    if (!args.ok) action.argumentError = args.error;
    const step: AgentStep = {
      action,
      message: { role: 'assistant', content: read.content, tool_calls: [{ id: callId, type: 'function', function: first_ }] },
      tokens,
    };
    if (read.toolCalls.length > 1) step.note = `model made ${read.toolCalls.length} tool calls; only the first was executed, as in τ-bench`;
    return step;
  }
}

/** A uint32 per (episode seed, turn), well mixed (murmur3's finaliser). */
export function turnSeed(seed: number, turn: number): number {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(turn + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Whether `next` starts with the first `n` ids of `prev` (the exact-prefix property). */
function extends_(next: readonly number[], prev: readonly number[], n: number): boolean {
  if (next.length < n) return false;
  for (let i = 0; i < n; i++) if (next[i] !== prev[i]) return false;
  return true;
}
