/** Chat messages in OpenAI's shape: what agents read and write, and what trajectories store. */

export interface ToolCall {
  id: string;
  type: 'function';
  /** `arguments` is the JSON text exactly as the model produced it. */
  function: { name: string; arguments: string };
}

/**
 * A spoken user turn (docs/speech.md): the WAV file's SHA-256 names it in the run's `audio/`
 * directory, so records carry this reference, never the audio itself.
 */
export interface AudioRef {
  sha256: string;
  format: 'wav';
  sampleRate: number;
  durationS: number;
  bytes: number;
}

export type ChatMessage =
  | { role: 'system'; content: string }
  /** `content` is the transcript; `audio`, when present, is what the agent hears (speech modality). */
  | { role: 'user'; content: string; audio?: AudioRef }
  | { role: 'assistant'; content: string | null; tool_calls?: ToolCall[] }
  | { role: 'tool'; tool_call_id: string; name: string; content: string };

/** Token usage and cost of one model call. `costUsd` is null when the price is unknown, never 0. */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  costUsd: number | null;
}

/**
 * Token ids and sampling log-probs of one agent turn, when the policy provides them (RL).
 *
 * Invariant 1 (design.md §4): the ids a loss sees are these ids. A token-native policy records
 * `deltaIds`, the ids rendered since its previous completion (the observation or user message
 * and the next generation prompt; on the first turn the whole prompt), so an episode's sequence
 * is deltaIds_0 · completionIds_0 · deltaIds_1 · completionIds_1 · … without storing any prompt
 * twice. An OpenAI-compatible server reports the whole prompt instead (`promptIds`); the RL core
 * then merges turns while each prompt extends the previous prompt and completion.
 */
export interface TokenRecord {
  deltaIds?: number[];
  promptIds?: number[];
  completionIds: number[];
  /** Sampling log-probs of `completionIds`, one each (softmax at the sampling temperature). */
  logprobs: number[];
  /** Whether the completion parsed (a reply, or well-formed tool calls); unset when not checked. */
  parsed?: boolean;
  /** 'length': the sampler hit max tokens before the stop token. */
  finishReason?: 'stop' | 'length';
  /**
   * Audio inside `deltaIds` (speech turns): each span of audio placeholder ids starts at index
   * `at` of `deltaIds` and stands for the features of the WAV `sha256` in the run's `audio/`, so
   * training rebuilds exactly what the sampler saw. Absent for text.
   */
  deltaAudio?: DeltaAudio[];
}

/** One audio span of a token record (see `TokenRecord.deltaAudio`). */
export interface DeltaAudio {
  at: number;
  sha256: string;
}
