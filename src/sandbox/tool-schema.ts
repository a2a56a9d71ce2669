import { z } from 'zod';
import type { Tool } from './tool.ts';

/** A tool as OpenAI-compatible chat APIs take it. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** JSON Schema of a tool's arguments, generated from its zod schema (the one source). */
export function argumentsJsonSchema(tool: Tool): Record<string, unknown> {
  // Input form (no `additionalProperties: false`), without zod's implicit safe-integer bounds,
  // with `required: []` on objects that have none, and an array's description before its items:
  // the shape and key order τ-bench publishes.
  const schema = z.toJSONSchema(tool.schema, {
    target: 'draft-7',
    io: 'input',
    override: ({ jsonSchema: s }) => {
      if (s.type === 'integer' && s.minimum === Number.MIN_SAFE_INTEGER && s.maximum === Number.MAX_SAFE_INTEGER) {
        delete s.minimum;
        delete s.maximum;
      }
      if (s.type === 'object' && s.properties && !s.required) s.required = [];
      if (s.type === 'array' && s.description !== undefined && s.items !== undefined) {
        const items = s.items;
        delete s.items;
        s.items = items;
      }
    },
  }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

export function toolDefinition(tool: Tool): ToolDefinition {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: argumentsJsonSchema(tool) } };
}
