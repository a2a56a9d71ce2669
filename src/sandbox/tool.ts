import type { z } from 'zod';
import type { PyValue } from '../py/value.ts';
import type { World } from './world.ts';

/** What a tool does to the world; agents, judges and metrics group tools by it. */
export type ToolKind = 'read' | 'write' | 'think' | 'terminate';

/** τ-bench's Python signature of a tool, which its error texts quote. */
export interface PySignature {
  /** Class name, e.g. `GetUserDetails` (errors say `GetUserDetails.invoke() …`). */
  className: string;
  /** Module path, e.g. `tau_bench.envs.retail.tools.get_user_details`. */
  module: string;
  /** Parameters after `data`, in declaration order. */
  params: readonly string[];
  /** Parameters that have a default (may be omitted), with that default. */
  defaults?: Readonly<Record<string, PyValue>>;
}

/** Arguments bound to parameter names, as Python would after a successful call binding. */
export type BoundArgs = Readonly<Record<string, PyValue>>;

export interface Tool {
  name: string;
  description: string;
  kind: ToolKind;
  /** The argument schema published to models, MCP and OpenAPI. Not used to validate in τ-bench mode. */
  schema: z.ZodObject;
  py: PySignature;
  /**
   * Runs the tool on the world. Returns the observation string. May throw `PyError` where
   * τ-bench's Python would raise; the sandbox turns that into `Error: …`.
   */
  run(world: World, args: BoundArgs): string;
}
