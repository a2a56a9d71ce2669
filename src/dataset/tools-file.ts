import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Domain } from '../domains/domain.ts';
import { argumentsJsonSchema, type ToolDefinition } from '../sandbox/tool-schema.ts';

const Descriptions = z.record(z.string(), z.string());

export const ToolDefinitions = z.array(
  z.object({
    type: z.literal('function'),
    function: z.object({ name: z.string(), description: z.string(), parameters: z.record(z.string(), z.unknown()) }),
  }),
);

/**
 * Our tool definitions for a domain: the argument schemas the domain publishes (from its zod
 * schemas) with our own descriptions from `policies/<domain>/tools.json`. A tool without our
 * description is an error, so a new tool cannot ship with someone else's text unnoticed.
 */
export function ourToolDefinitions(domain: Domain, descriptionsFile: string): ToolDefinition[] {
  const ours = Descriptions.parse(JSON.parse(readFileSync(descriptionsFile, 'utf8')));
  return domain.tools.map((tool) => {
    const description = ours[tool.name];
    if (description === undefined) throw new Error(`${descriptionsFile}: no description for tool '${tool.name}'`);
    return { type: 'function', function: { name: tool.name, description, parameters: argumentsJsonSchema(tool) } };
  });
}
