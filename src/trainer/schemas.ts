/** Response shapes of the trainer service (trainer/app.py), one zod schema each; types are inferred. */
import { z } from 'zod';

export const Metrics = z.record(z.string(), z.number());
export type Metrics = z.infer<typeof Metrics>;

export const SessionInfo = z.object({
  session_id: z.string(),
  vocab_size: z.number().int(),
  pad_id: z.number().int(),
  im_end_id: z.number().int(),
  lora: z.boolean(),
  trainable_params: z.number().int(),
  origin: z.record(z.string(), z.unknown()),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const Rendered = z.object({
  ids: z.array(z.number().int()),
  mask: z.array(z.number().int()),
  /** Spoken user turns (audio models): where each file's placeholder ids start in `ids`, and how many. */
  audio: z.array(z.object({ at: z.number().int(), path: z.string(), sha256: z.string(), tokens: z.number().int() })).optional(),
});
export type Rendered = z.infer<typeof Rendered>;

export const SampledSequence = z.object({
  ids: z.array(z.number().int()),
  logprobs: z.array(z.number()),
  finish_reason: z.enum(['stop', 'length']),
  /** The ids decoded with special tokens kept (a stopped turn ends in `<|im_end|>`). */
  text: z.string(),
});
export type SampledSequence = z.infer<typeof SampledSequence>;

export const SampleResponse = z.object({ samples: z.array(z.array(SampledSequence)), metrics: Metrics });

/** `tokens` (one string per id, concatenating to the text) only when asked with `per_token`. */
export const DecodeResponse = z.object({ texts: z.array(z.string()), tokens: z.array(z.array(z.string())).optional() });
export type DecodeResponse = z.infer<typeof DecodeResponse>;

export const ForwardResponse = z.object({
  logprobs: z.array(z.array(z.number())),
  values: z.array(z.array(z.number())).nullable(),
  /** With `reference: true`: the KL reference's log-probs of the same targets. */
  ref_logprobs: z.array(z.array(z.number())).nullable().optional(),
  metrics: Metrics,
});
export type ForwardResponse = z.infer<typeof ForwardResponse>;

export const MetricsResponse = z.object({ metrics: Metrics });

/** What /cache/clear freed. */
export const CacheClearResponse = z.object({ entries: z.number().int(), tokens: z.number().int() });
export type CacheClearResponse = z.infer<typeof CacheClearResponse>;

export const CheckpointResponse = z.object({
  path: z.string(),
  kind: z.enum(['full', 'lora']),
  step: z.number().int(),
  metrics: Metrics,
});
export type CheckpointResponse = z.infer<typeof CheckpointResponse>;

export const ExportResponse = z.object({ path: z.string(), format: z.literal('peft'), metrics: Metrics });

export const TokenizerInfo = z.object({ path: z.string(), vocab_size: z.number().int(), sha256: z.string() });
export type TokenizerInfo = z.infer<typeof TokenizerInfo>;

export const ErrorBody = z.object({
  error: z.object({ type: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** The service's port line on stdout. */
export const PortLine = z.object({ port: z.number().int().positive(), pid: z.number().int().positive() });
