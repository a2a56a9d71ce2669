import { z } from 'zod';

/**
 * Request and response bodies of the REST API. Handlers validate with these and the OpenAPI
 * document is generated from them, so the published contract cannot drift from the code.
 */

/** The named schemas of the API; the OpenAPI document's components are generated from it. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

export const ErrorResponse = z
  .object({ error: z.object({ code: z.string(), message: z.string() }) })
  .register(apiSchemas, { id: 'Error' });

export const CreateSessionRequest = z
  .object({
    domain: z.string().optional().describe('Domain to serve; optional when the server serves one domain'),
    split: z.string().optional().describe("Task split, e.g. 'test'; needed with task or seed"),
    task: z.number().int().min(0).optional().describe('Task index within the split (τ-bench task index)'),
    seed: z.union([z.string(), z.number().int()]).optional().describe('Pick a task of the split from this seed'),
  })
  .strict()
  .register(apiSchemas, { id: 'CreateSessionRequest', description: 'Give split+task, split+seed, or neither (a world with no task).' });

export const TaskInfo = z
  .object({
    id: z.string(),
    split: z.string(),
    index: z.number().int(),
    user_id: z.string(),
    instruction: z.string().describe("The user simulator's hidden instruction (never show it to the agent)"),
    outputs: z.array(z.string()),
  })
  .register(apiSchemas, { id: 'TaskInfo' });

export const SessionInfo = z
  .object({
    session_id: z.string(),
    domain: z.string(),
    task: TaskInfo.nullable(),
    created_at: z.string().describe('ISO 8601'),
  })
  .register(apiSchemas, { id: 'SessionInfo' });

export const ToolDefinitionSchema = z
  .object({
    type: z.literal('function'),
    function: z.object({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.unknown()) }),
  })
  .register(apiSchemas, { id: 'ToolDefinition' });

export const ToolList = z.object({ tools: z.array(ToolDefinitionSchema) }).register(apiSchemas, { id: 'ToolList' });

export const CallRequest = z
  .object({
    name: z.string().describe('Tool name; an unknown name is answered by the observation `Unknown action <name>`'),
    arguments: z
      .union([z.record(z.string(), z.unknown()), z.string()])
      .optional()
      .describe('Keyword arguments (an object, or a JSON string of one as OpenAI tool calls carry them); passed through unvalidated as τ-bench does'),
  })
  .strict()
  .register(apiSchemas, { id: 'CallRequest' });

export const CallResponse = z
  .object({ observation: z.string().describe('Exactly what the model sees; tool errors are observations (`Error: …`)') })
  .register(apiSchemas, { id: 'CallResponse' });

export const ChangesResponse = z
  .object({
    state_hash: z.string().describe("SHA-256 of the world's canonical JSON"),
    changed: z
      .record(z.string(), z.record(z.string(), z.unknown()))
      .describe('table → key → final record (null: deleted), serialised as τ-bench’s Python would'),
  })
  .register(apiSchemas, { id: 'ChangesResponse' });

export const VerifyRequest = z
  .object({
    agent_messages: z.array(z.string()).describe("The agent's messages to the user (for required outputs)"),
    mode: z.enum(['taubench', 'db']).optional().describe("'taubench' (default): database and outputs; 'db': database only"),
  })
  .strict()
  .register(apiSchemas, { id: 'VerifyRequest' });

export const VerifyResponse = z
  .object({
    reward: z.union([z.literal(0), z.literal(1)]),
    db_match: z.boolean(),
    diff: z.array(
      z.object({
        table: z.string(),
        key: z.string(),
        expected: z.string().nullable().describe("the record as the ground truth leaves it (Python json.dumps text); null: as seeded"),
        actual: z.string().nullable().describe('the record as this session left it; null: as seeded'),
        fields: z.array(z.string()).describe('top-level fields whose values differ'),
      }),
    ),
    outputs: z.array(z.object({ output: z.string(), found: z.boolean() })),
    mode: z.enum(['taubench', 'db']),
  })
  .register(apiSchemas, { id: 'VerifyResponse' });

export const Health = z.object({ ok: z.boolean(), sessions: z.number().int(), domains: z.array(z.string()) }).register(apiSchemas, { id: 'Health' });

export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;
export type SessionInfo = z.infer<typeof SessionInfo>;
export type VerifyResponse = z.infer<typeof VerifyResponse>;
