import { z } from 'zod';
import type { Tool } from './tool.ts';

/** A tool as OpenAI-compatible chat APIs take it. */
export interface ToolDefinition {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

/** JSON Schema of a tool's arguments, generated from its zod schema (the one source). */
export function argumentsJsonSchema(tool: Tool): Record<string, unknown> {
  const schema = z.toJSONSchema(tool.schema, { target: 'draft-7' }) as Record<string, unknown>;
  delete schema.$schema;
  return schema;
}

export function toolDefinition(tool: Tool): ToolDefinition {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: argumentsJsonSchema(tool) } };
}
