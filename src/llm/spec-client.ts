import { ChatClient, type ChatClientConfig } from './client.ts';
import { LlmConfigError } from './errors.ts';
import type { LlmSpec } from './model-spec.ts';

export interface ClientOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Overrides the spec's cache directory (e.g. a run-wide `--cache-dir`). */
  cacheDir?: string;
  /** Backoff steps; the spec fixes attempts and the time budget. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

/** The client a validated spec describes. */
export function chatClientFromSpec(llm: LlmSpec, opts: ClientOptions = {}): ChatClient {
  if (llm.baseUrl === undefined) {
    const what = llm.checkpoint !== undefined ? `checkpoint ${llm.checkpoint} needs the trainer service's OpenAI-compatible base URL` : `model ${llm.model} has no base URL`;
    throw new LlmConfigError(`${what} (base_url / --*-base-url)`);
  }
  const config: ChatClientConfig = {
    model: llm.model,
    baseUrl: llm.baseUrl,
    sampling: {
      temperature: llm.temperature,
      ...(llm.topP !== undefined && { topP: llm.topP }),
      ...(llm.maxTokens !== undefined && { maxTokens: llm.maxTokens }),
      ...(llm.seed !== undefined && { seed: llm.seed }),
      logprobs: llm.logprobs,
      tokenIds: llm.tokenIds,
    },
    retry: {
      maxAttempts: llm.maxAttempts,
      maxElapsedMs: llm.maxRetryMs,
      ...(opts.baseDelayMs !== undefined && { baseDelayMs: opts.baseDelayMs }),
      ...(opts.maxDelayMs !== undefined && { maxDelayMs: opts.maxDelayMs }),
    },
    timeoutMs: llm.timeoutMs,
    limits: { ...(llm.concurrency !== undefined && { concurrency: llm.concurrency }), ...(llm.rpm !== undefined && { requestsPerMinute: llm.rpm }) },
  };
  if (llm.apiKeyEnv !== undefined) config.apiKeyEnv = llm.apiKeyEnv;
  if (opts.env) config.env = opts.env;
  const cacheDir = opts.cacheDir ?? llm.cacheDir;
  if (cacheDir !== undefined) config.cacheDir = cacheDir;
  if (opts.random) config.random = opts.random;
  return new ChatClient(config);
}
