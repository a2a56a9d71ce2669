/** Request types of the trainer service, mirroring trainer/schemas.py (the service validates them). */
import type { ChatMessage } from '../chat/messages.ts';

/** A randomly initialised Qwen3 (tied embeddings, init std hidden^-0.5, like the tiny preset). */
export interface ScratchShape {
  layers: number;
  hidden: number;
  heads: number;
  kv_heads: number;
  /** Default 4 × hidden. */
  intermediate?: number;
  max_positions: number;
}

export type ModelSpec =
  /** tiny-omni: a tiny random Qwen2.5-Omni thinker (audio encoder + decoder), for speech (docs/speech.md). */
  | { preset: 'tiny' | 'qwen3-8b-random' | 'tiny-omni' }
  | { path: string }
  | { checkpoint: string }
  /** `tokenizer`: a directory with tokenizer.json, e.g. written by TrainerClient.trainTokenizer. */
  | { scratch: ScratchShape; tokenizer: string };

/** Byte-level BPE with the service's special tokens; `added_tokens` become whole-word single ids. */
export interface TrainTokenizerParams {
  /** Raw training texts. */
  texts?: string[];
  /** Conversations, rendered to text in the service's chat format (the format the model will see). */
  conversations?: { messages: ChatMessage[]; tools?: unknown[] }[];
  vocab_size: number;
  added_tokens?: string[];
  /** Every digit outside the added tokens its own token, so a number reads the same in a record and in prose. */
  split_digits?: boolean;
  /** Directory; tokenizer.json is written into it atomically. */
  out: string;
}

export interface SessionConfig {
  model: ModelSpec;
  lora?: { rank?: number; alpha?: number; dropout?: number; target_modules?: string[] } | null;
  seed?: number;
  dtype?: 'float32' | 'bfloat16' | 'float16';
  device?: string;
  /** none (GRPO/SFT) · separate (own backbone; recommended for PPO) · shared (head on the policy). */
  critic?: 'none' | 'shared' | 'separate';
  /** KL reference: the initial weights (LoRA: adapter disabled) or a named checkpoint. */
  reference?: 'initial' | { checkpoint: string } | null;
  optimizer?: {
    lr?: number;
    betas?: [number, number];
    eps?: number;
    weight_decay?: number;
    grad_clip?: number | null;
    schedule?: { kind?: 'constant' | 'linear' | 'cosine'; warmup_steps?: number; total_steps?: number; min_ratio?: number };
  };
  /** Token budget of the sampling prefix KV cache (default 262144; 0 turns it off). */
  kv_cache_tokens?: number;
  /** Audio models: train the audio encoder too (default false: frozen). */
  train_audio_tower?: boolean;
  /** Recompute each block's activations in the backward pass (less memory, ~1 more forward). */
  gradient_checkpointing?: boolean;
}

/**
 * An audio span of a token sequence (audio models): its placeholder ids start at index `at`, and
 * stand for the WAV file at `path`, which the service reads (and checks against `sha256`).
 */
export interface AudioAt {
  at: number;
  path: string;
  sha256?: string;
}

/** input_ids[i] predicts target_ids[i]; every per-token array has input_ids.length entries. */
export interface Datum {
  input_ids: number[];
  target_ids: number[];
  /** 0 = masked (no loss); see invariant 2. Defaults to 1 everywhere. */
  weights?: number[];
  advantages?: number[];
  old_logprobs?: number[];
  returns?: number[];
  old_values?: number[];
  /** Audio spans of input_ids (audio models). */
  audio?: AudioAt[];
}

export interface LossConfig {
  kind?: 'cross_entropy' | 'importance_sampling' | 'ppo';
  clip_low?: number;
  clip_high?: number;
  dual_clip?: number | null;
  kl_coef?: number;
  kl_estimator?: 'k1' | 'k2' | 'k3';
  entropy_coef?: number;
  value_coef?: number;
  value_clip?: number | null;
  normalize?: 'token_mean' | 'sum';
}

export interface SampleParams {
  n?: number;
  max_tokens?: number;
  temperature?: number;
  top_p?: number;
  /** Defaults to [<|im_end|>] on the service. */
  stop_token_ids?: number[];
  /** One generator for the whole call. */
  seed?: number;
  /** One seed per prompt: each row samples from its own stream, whatever else is in the batch. */
  seeds?: number[];
  /** Reuse cached K/V of a prompt's prefix (default true); false prefills in full and stores nothing. */
  use_cache?: boolean;
  /** Per prompt, its audio spans (audio models). */
  audio?: AudioAt[][];
}

/**
 * A message as the renderer takes it: a spoken user turn names its WAV by path (the service reads
 * it) and renders its placeholders, then `content` when that is not empty.
 */
export type RenderMessage = Exclude<ChatMessage, { role: 'user' }> | { role: 'user'; content: string; audio?: { path: string; sha256?: string } };

export interface RenderParams {
  /** Chat messages; spoken user turns as RenderMessage (an AudioRef alone is refused: the service needs a path). */
  messages: (ChatMessage | RenderMessage)[];
  tools?: unknown[];
  generation_prompt?: boolean;
  /** The messages are a delta appended to an already rendered prefix. */
  continuation?: boolean;
}

/** Turns a token sequence and its per-token loss mask into a Datum (shift by one). */
export function datumFromSequence(ids: number[], mask: number[], extra: Partial<Record<'advantages' | 'old_logprobs' | 'returns' | 'old_values', number[]>> = {}, audio?: AudioAt[]): Datum {
  if (ids.length !== mask.length) throw new Error(`ids (${ids.length}) and mask (${mask.length}) differ in length`);
  const shift = (xs: number[]): number[] => xs.slice(1);
  const d: Datum = { input_ids: ids.slice(0, -1), target_ids: shift(ids), weights: shift(mask) };
  for (const [k, v] of Object.entries(extra)) {
    if (v.length !== ids.length) throw new Error(`${k} has length ${v.length}, expected ${ids.length}`);
    d[k as keyof typeof extra] = shift(v);
  }
  if (audio?.length) d.audio = audio;
  return d;
}
