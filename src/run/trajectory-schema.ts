import { z } from 'zod';
import type { Trajectory } from '../episode/trajectory.ts';

/**
 * The shape of one `episodes.jsonl` record, checked when a reader needs a whole trajectory it did
 * not write itself (the viewer): a record that fails is reported with the field that is wrong
 * instead of crashing whatever draws it. Objects are loose (fields added later pass through);
 * the `satisfies` below keeps this schema and the `Trajectory` interface in step.
 */
const usage = z.object({ promptTokens: z.number(), completionTokens: z.number(), costUsd: z.number().nullable() });

const toolCall = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

const message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content: z.string() }),
  z.looseObject({
    role: z.literal('user'),
    content: z.string(),
    audio: z.looseObject({ sha256: z.string(), format: z.literal('wav'), sampleRate: z.number(), durationS: z.number(), bytes: z.number() }).optional(),
  }),
  z.looseObject({ role: z.literal('assistant'), content: z.string().nullable(), tool_calls: z.array(toolCall).optional() }),
  z.looseObject({ role: z.literal('tool'), tool_call_id: z.string(), name: z.string(), content: z.string() }),
]);

const ids = z.array(z.number().int());

const tokens = z.looseObject({
  deltaIds: ids.optional(),
  promptIds: ids.optional(),
  completionIds: ids,
  logprobs: z.array(z.number()),
  parsed: z.boolean().optional(),
  finishReason: z.enum(['stop', 'length']).optional(),
  deltaAudio: z.array(z.looseObject({ at: z.number().int().nonnegative(), sha256: z.string() })).optional(),
});

const action = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('tool'), name: z.string(), arguments: z.string(), callId: z.string() }),
  z.looseObject({ type: z.literal('respond'), content: z.string() }),
]);

const step = z.looseObject({
  turn: z.number().int().nonnegative(),
  action,
  messageIndex: z.number().int().nonnegative(),
  observation: z.string().optional(),
  userReply: z.string().optional(),
  userHidden: z.string().optional(),
  usage: usage.optional(),
  userUsage: usage.optional(),
  tokens: tokens.optional(),
  note: z.string().optional(),
  wallMs: z.number(),
});

const verdict = z.looseObject({ turn: z.number().int(), score: z.union([z.literal(-1), z.literal(0), z.literal(1)]), rationale: z.string() });

export const judgeRecordSchema = z.looseObject({
  judge: z.string(),
  promptVersion: z.string().optional(),
  status: z.enum(['ok', 'judge_failed']),
  verdicts: z.array(verdict),
  raw: z.string().optional(),
  error: z.string().optional(),
});

const rewardInfo = z.looseObject({
  reward: z.union([z.literal(0), z.literal(1)]),
  dbMatch: z.boolean(),
  diff: z.array(z.looseObject({ table: z.string(), key: z.string(), expected: z.string().nullable(), actual: z.string().nullable(), fields: z.array(z.string()) })),
  outputs: z.array(z.looseObject({ output: z.string(), found: z.boolean() })),
  mode: z.enum(['taubench', 'db']),
  unconfirmed: z.array(z.object({ turn: z.number().int(), name: z.string() })).optional(),
});

export const trajectorySchema = z.looseObject({
  schema: z.number().int(),
  taskId: z.string(),
  domain: z.string(),
  split: z.string(),
  taskIndex: z.number().int(),
  trial: z.number().int(),
  seed: z.number(),
  agent: z.string(),
  user: z.string(),
  messages: z.array(message),
  steps: z.array(step),
  termination: z.enum(['user_stop', 'agent_transfer', 'max_steps', 'error']),
  error: z.string().optional(),
  reward: z.number(),
  rewardInfo: rewardInfo.optional(),
  userStats: z.record(z.string(), z.number()).optional(),
  injection: z.record(z.string(), z.unknown()).optional(),
  modality: z.enum(['text', 'speech']).optional(),
  voice: z
    .looseObject({ engine: z.string(), engineVersion: z.string(), voice: z.string(), rate: z.number(), pitch: z.number().nullable(), sampleRate: z.number(), snrDb: z.number().nullable() })
    .optional(),
  judge: judgeRecordSchema.optional(),
  step: z.number().int().nonnegative().optional(),
  rl: z.looseObject({ reward: z.number(), advantages_K: z.array(z.number()), kept: z.boolean(), trainTokens: z.number() }).optional(),
  usage: z.looseObject({ agent: usage, user: usage }),
  wallMs: z.number(),
  startedAt: z.string(),
}) satisfies z.ZodType<Trajectory>;

/**
 * The fields an index keeps for every record (filters, lists, pass rates), checked on their own so
 * that indexing a large file never validates whole conversations.
 */
export const recordHeadSchema = z.looseObject({
  taskId: z.string(),
  domain: z.string(),
  split: z.string(),
  trial: z.number().int(),
  step: z.number().int().nonnegative().optional(),
  termination: z.enum(['user_stop', 'agent_transfer', 'max_steps', 'error']),
  reward: z.number(),
  steps: z.array(z.unknown()),
  error: z.string().optional(),
  modality: z.string().optional(),
  judge: z.looseObject({ status: z.string(), verdicts: z.array(z.looseObject({ turn: z.number(), score: z.number() })) }).optional(),
  rl: z.looseObject({ reward: z.number(), kept: z.boolean() }).optional(),
});
