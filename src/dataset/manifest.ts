import { z } from 'zod';
import { DOMAIN_NAMES } from '../domains/domain.ts';

/** Bumped when the directory layout or a record shape changes. */
export const DATASET_FORMAT_VERSION = 1;

export const WorldEntry = z.object({
  /** World seed for generated worlds; null for imported ones. */
  seed: z.number().int().nullable(),
  /** Generator size options the world was built with (empty when imported). */
  options: z.record(z.string(), z.union([z.number(), z.string()])),
  /** Records per table. */
  counts: z.record(z.string(), z.number().int()),
  /** Canonical state hash of the untouched world (the sandbox's `stateHash()` before any call). */
  state_hash: z.string(),
});

export const SplitEntry = z.object({
  /** The world id (key of `worlds`) every task of the split runs in. */
  world: z.string(),
  file: z.string(),
  count: z.number().int(),
  /** Task seed for generated splits; null for imported ones. */
  seed: z.number().int().nullable(),
  /** Tasks per kind (generated) — empty when imported. */
  kinds: z.record(z.string(), z.number().int()),
});

export const Manifest = z.object({
  format: z.literal('tarl-dataset'),
  version: z.literal(DATASET_FORMAT_VERSION),
  domain: z.enum(DOMAIN_NAMES),
  source: z.enum(['generated', 'taubench']),
  generator: z.object({ name: z.string(), version: z.string() }),
  worlds: z.record(z.string(), WorldEntry),
  splits: z.record(z.string(), SplitEntry),
  /**
   * How task instructions were written (generated datasets): the offline template, or an LLM
   * rewrite of it (model named; tasks whose rewrite dropped a fact keep the template, counted).
   */
  instructions: z
    .object({ writer: z.enum(['template', 'llm']), model: z.string().optional(), rewritten: z.number().int(), kept: z.number().int() })
    .optional(),
  /**
   * Which tasks the generator was asked for (`tarl data generate --kinds`, `--single-request`);
   * absent: every kind of the domain, multi-request tasks included.
   */
  task_filter: z.object({ kinds: z.array(z.string()).nullable(), single_request: z.boolean() }).optional(),
  policy: z.string(),
  tools: z.string(),
  /** SHA-256 of every other file in the directory, by relative path. */
  files: z.record(z.string(), z.string()),
});

export type Manifest = z.infer<typeof Manifest>;
export type WorldEntry = z.infer<typeof WorldEntry>;
export type SplitEntry = z.infer<typeof SplitEntry>;
