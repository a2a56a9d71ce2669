import { z } from 'zod';
import { apiSchemas } from './schemas.ts';

type Json = Record<string, unknown>;

const ref = (id: string): Json => ({ $ref: `#/components/schemas/${id}` });
const json = (id: string, description: string): Json => ({ description, content: { 'application/json': { schema: ref(id) } } });
const err = (description: string): Json => json('Error', description);
const body = (id: string): Json => ({ required: true, content: { 'application/json': { schema: ref(id) } } });
const sessionParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

const common = {
  '401': err('Missing or wrong bearer token'),
  '413': err('Body over the size limit'),
  '504': err('Request over the time limit'),
};
const withSession = { ...common, '404': err('Unknown session (never created, deleted or evicted)') };

/**
 * The OpenAPI 3.1 document of `/v1`, its component schemas generated from the same zod schemas
 * the handlers validate with (JSON Schema 2020-12, which OpenAPI 3.1 uses as is).
 */
export function openApiDocument(serverUrl?: string): Json {
  const generated = z.toJSONSchema(apiSchemas, { uri: (id) => `#/components/schemas/${id}` });
  const schemas: Json = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    const { $schema: _drop, $id: _id, ...rest } = schema as Json;
    schemas[id] = rest;
  }
  const paths: Json = {
    '/v1/health': { get: { summary: 'Liveness and session count (no auth)', responses: { '200': json('Health', 'OK') } } },
    '/v1/sessions': {
      post: {
        summary: 'Create a session: an isolated world, optionally bound to a task',
        requestBody: { ...body('CreateSessionRequest'), required: false },
        responses: {
          '201': json('SessionInfo', 'Created'),
          '400': err('Malformed JSON or invalid fields'),
          '404': err('Unknown domain, split or task'),
          '429': err('The server holds its maximum number of sessions'),
          ...common,
        },
      },
    },
    '/v1/sessions/{id}': {
      parameters: [sessionParam],
      get: { summary: 'Session info', responses: { '200': json('SessionInfo', 'OK'), ...withSession } },
      delete: { summary: 'End the session and free its world', responses: { '204': { description: 'Deleted' }, ...withSession } },
    },
    '/v1/sessions/{id}/policy': {
      parameters: [sessionParam],
      get: {
        summary: "The domain's agent policy (system prompt)",
        responses: { '200': { description: 'Markdown', content: { 'text/markdown': { schema: { type: 'string' } } } }, ...withSession },
      },
    },
    '/v1/sessions/{id}/tools': {
      parameters: [sessionParam],
      get: { summary: 'Tools in OpenAI function format (JSON Schema parameters)', responses: { '200': json('ToolList', 'OK'), ...withSession } },
    },
    '/v1/sessions/{id}/tools/{name}': {
      parameters: [sessionParam, { name: 'name', in: 'path', required: true, schema: { type: 'string' } }],
      get: {
        summary: "One tool's definition",
        responses: { '200': json('ToolDefinition', 'OK'), ...withSession, '404': err('Unknown session or unknown tool') },
      },
    },
    '/v1/sessions/{id}/calls': {
      parameters: [sessionParam],
      post: {
        summary: 'Call a tool; the observation is exactly what τ-bench returns (unknown tools: `Unknown action X`, tool errors: `Error: …`)',
        requestBody: body('CallRequest'),
        responses: { '200': json('CallResponse', 'The observation'), '400': err('Malformed JSON or invalid fields'), ...withSession },
      },
    },
    '/v1/sessions/{id}/changes': {
      parameters: [sessionParam],
      get: { summary: 'State hash and the records that differ from the seeded world', responses: { '200': json('ChangesResponse', 'OK'), ...withSession } },
    },
    '/v1/sessions/{id}/verify': {
      parameters: [sessionParam],
      post: {
        summary: "Score the world against the session's task (τ-bench reward)",
        requestBody: body('VerifyRequest'),
        responses: {
          '200': json('VerifyResponse', 'The verdict'),
          '400': err('Malformed JSON or invalid fields'),
          '409': err('The session has no task'),
          ...withSession,
        },
      },
    },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'TARL sandbox service',
      version: '1.0.0',
      description: 'Per-session τ-bench-style worlds over REST; the same worlds over MCP (Streamable HTTP) at /mcp.',
    },
    ...(serverUrl ? { servers: [{ url: serverUrl }] } : {}),
    security: [{ bearer: [] }],
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
