/**
 * A τ²-bench tool: a method of a toolkit class, called with the raw JSON arguments (no schema
 * validation, as τ² does), returning a Python value that `toJsonStr` turns into the observation.
 */
import type { PyValue } from '../../py/value.ts';
import type { BoundArgs } from '../tool.ts';

/** τ²'s `ToolType`. `mutatesState` (default: write) decides what evaluation replays. */
export type Tau2ToolType = 'read' | 'write' | 'think' | 'generic';

/** The OpenAI function schema τ² publishes for a tool (`Tool.openai_schema`). */
export interface OpenAiToolSchema {
  type: 'function';
  function: { name: string; description: string; parameters: Record<string, unknown> };
}

export interface Tau2Tool<C> {
  name: string;
  type: Tau2ToolType;
  /** Defaults to `type === 'write'` (τ²'s `is_tool(mutates_state=None)`). */
  mutatesState?: boolean;
  /** Banking's discoverable tools: callable by name, never listed in the prompt. */
  discoverable?: boolean;
  /** The published schema (absent for discoverable tools, which publish their own text). */
  schema?: OpenAiToolSchema;
  /** Python parameter names after `self`, in declaration order. */
  params: readonly string[];
  /** Parameters with a default, and the default. */
  defaults?: Readonly<Record<string, PyValue>>;
  /** The class whose method this is (TypeErrors name it), when not the toolkit's own class. */
  owner?: string;
  run(ctx: C, args: BoundArgs): PyValue;
}

/** Defines a tool whose signature is read from its schema (properties in order, defaults from `default`). */
export function tau2Tool<C>(def: Omit<Tau2Tool<C>, 'params' | 'defaults'> & { schema: OpenAiToolSchema; params?: readonly string[] }): Tau2Tool<C> {
  const props = (def.schema.function.parameters.properties ?? {}) as Record<string, { default?: unknown }>;
  const params = def.params ?? Object.keys(props);
  const defaults: Record<string, PyValue> = {};
  for (const [k, p] of Object.entries(props)) if ('default' in p) defaults[k] = (p.default ?? null) as PyValue;
  return { ...def, params, defaults };
}

export function mutates<C>(t: Tau2Tool<C>): boolean {
  return t.mutatesState ?? t.type === 'write';
}
