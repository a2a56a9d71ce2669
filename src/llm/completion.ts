import { z } from 'zod';
import type { ChatMessage, TokenRecord, ToolCall, Usage } from '../chat/messages.ts';
import { costUsd } from './pricing.ts';

export type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

/** One model call's outcome, in our types. */
export interface ChatResult {
  message: AssistantMessage;
  finishReason: string | null;
  /** The usage of the call that produced the response (also when replayed from the cache). */
  usage: Usage;
  tokens?: TokenRecord;
  /** Replayed from the on-disk cache: no request was sent and nothing was spent this time. */
  cached: boolean;
  /** Requests sent for this call (0 when cached). */
  attempts: number;
  /** The model id the server reports (may differ from the requested one, e.g. a snapshot). */
  model: string;
}

/** Raised when a 200 response is not a usable completion (retried like a server fault). */
export class BadCompletionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadCompletionError';
  }
}

const intArray = z.array(z.number().int());

// Loose on purpose: servers (vLLM, SGLang, Ollama, our trainer facade) add and omit fields.
const ToolCallSchema = z.looseObject({
  id: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.unknown() }),
});
const LogprobEntry = z.looseObject({ token: z.string().nullish(), logprob: z.number(), token_id: z.number().int().nullish() });
const ChoiceSchema = z.looseObject({
  message: z.looseObject({
    content: z.union([z.string(), z.array(z.looseObject({ text: z.string().nullish() }))]).nullish(),
    tool_calls: z.array(ToolCallSchema).nullish(),
    token_ids: intArray.nullish(),
  }),
  finish_reason: z.string().nullish(),
  logprobs: z.looseObject({ content: z.array(LogprobEntry).nullish() }).nullish(),
  token_ids: intArray.nullish(),
  prompt_token_ids: intArray.nullish(),
});
const CompletionSchema = z.looseObject({
  model: z.string().nullish(),
  choices: z.array(z.unknown()),
  usage: z.looseObject({ prompt_tokens: z.number().nullish(), completion_tokens: z.number().nullish() }).nullish(),
  prompt_token_ids: intArray.nullish(),
  token_ids: intArray.nullish(),
});

/** Turns a raw chat-completion body into a ChatResult; throws BadCompletionError when unusable. */
export function parseCompletion(raw: unknown, requestedModel: string, cached: boolean, attempts: number): ChatResult {
  const top = CompletionSchema.safeParse(raw);
  if (!top.success) throw new BadCompletionError(`malformed completion: ${z.prettifyError(top.error)}`);
  if (top.data.choices.length === 0) throw new BadCompletionError('completion has no choices');
  const choiceParse = ChoiceSchema.safeParse(top.data.choices[0]);
  if (!choiceParse.success) throw new BadCompletionError(`malformed choice: ${z.prettifyError(choiceParse.error)}`);
  const choice = choiceParse.data;
  const model = top.data.model ?? requestedModel;

  const toolCalls: ToolCall[] = (choice.message.tool_calls ?? []).map((tc, i) => ({
    id: tc.id ?? `call_${i}`,
    type: 'function',
    function: { name: tc.function.name ?? '', arguments: argumentsText(tc.function.arguments) },
  }));
  const message: AssistantMessage = { role: 'assistant', content: contentText(choice.message.content) };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;

  const u = top.data.usage;
  const promptTokens = u?.prompt_tokens ?? 0;
  const completionTokens = u?.completion_tokens ?? 0;
  // Without usage we cannot price the call: unknown, not free.
  const usage: Usage = { promptTokens, completionTokens, costUsd: u ? costUsd(requestedModel, promptTokens, completionTokens) : null };

  const result: ChatResult = { message, finishReason: choice.finish_reason ?? null, usage, cached, attempts, model };
  const tokens = tokenRecord(choice, top.data);
  if (tokens) result.tokens = tokens;
  return result;
}

function contentText(c: string | { text?: string | null | undefined }[] | null | undefined): string | null {
  if (c === null || c === undefined) return null;
  if (typeof c === 'string') return c;
  return c.map((p) => p.text ?? '').join('');
}

/** Some servers (Ollama, a few proxies) send arguments as an object instead of JSON text. */
function argumentsText(a: unknown): string {
  if (typeof a === 'string') return a;
  if (a === undefined || a === null) return '';
  return JSON.stringify(a);
}

/** vLLM's `return_tokens_as_token_ids` writes each token as `token_id:123`. */
function idFromTokenText(t: string | null | undefined): number | undefined {
  const m = t ? /^token_id:(\d+)$/.exec(t) : null;
  return m ? Number(m[1]) : undefined;
}

function tokenRecord(choice: z.infer<typeof ChoiceSchema>, top: z.infer<typeof CompletionSchema>): TokenRecord | undefined {
  const entries = choice.logprobs?.content ?? [];
  const logprobs = entries.map((e) => e.logprob);
  let completionIds = choice.token_ids ?? choice.message.token_ids ?? top.token_ids ?? undefined;
  if (!completionIds && entries.length > 0) {
    const ids = entries.map((e) => e.token_id ?? idFromTokenText(e.token));
    if (ids.every((x): x is number => x !== undefined)) completionIds = ids;
  }
  if (!completionIds && logprobs.length === 0) return undefined;
  const record: TokenRecord = { completionIds: completionIds ?? [], logprobs };
  const promptIds = choice.prompt_token_ids ?? top.prompt_token_ids;
  if (promptIds) record.promptIds = promptIds;
  return record;
}
