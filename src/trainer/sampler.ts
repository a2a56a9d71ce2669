/**
 * Where rollouts get tokens: token ids in → token ids and sampling log-probs out.
 *
 * Log-probs are of the sampled token under softmax(logits / temperature), before top-p
 * truncation — the quantity the trainer's forward computes at the same temperature, so PPO
 * ratios start at 1 (invariant 1: the sampled ids are the ids the loss sees).
 */
export interface SampleRequest {
  /** One prompt (already rendered token ids); `n` completions are drawn for it. */
  promptIds: number[];
  n: number;
  maxTokens: number;
  temperature: number;
  topP?: number;
  stopTokenIds?: number[];
  /** Seeds this request's own random stream (a uint32): its samples do not depend on batching. */
  seed?: number;
  /** Audio spans of the prompt (speech turns; audio models on the trainer service only). */
  audio?: { at: number; path: string }[];
}

export interface SampledCompletion {
  ids: number[];
  logprobs: number[];
  finishReason: 'stop' | 'length';
  /** `ids` decoded by the sampler's tokenizer with special tokens kept (e.g. ending in `<|im_end|>`). */
  text: string;
}

export interface Sampler {
  /** Completions per request, in request order. */
  sample(requests: SampleRequest[]): Promise<SampledCompletion[][]>;
  /**
   * A caller that will ask for a series of turns (an episode) enters before its first request
   * and exits after its last, so a batching sampler knows how many requests a wave will hold.
   */
  enter?(): void;
  exit?(): void;
  /** Makes the sampler serve new weights (an adapter or model directory written by the trainer). */
  update(weights: PolicyWeights): Promise<void>;
}

/** One version of the policy's weights, as the trainer wrote them for a sampler to serve. */
export interface PolicyWeights {
  /** adapter: a PEFT directory (LoRA); full: a Hugging Face model directory (full fine-tuning). */
  kind: 'adapter' | 'full';
  path: string;
  /** Unique per version (e.g. `policy-v3`): an adapter is served under this name. */
  name: string;
}
