import type { ModelSpec } from '../llm/model-spec.ts';
import { chatClientFromSpec, type ClientOptions } from '../llm/spec-client.ts';
import type { Agent } from './agent.ts';
import { AGENT_KINDS, type AgentKind } from './kinds.ts';
import { FlawedAgent } from './flawed.ts';
import { NoopAgent } from './noop.ts';
import { OracleAgent } from './oracle.ts';
import { Tau2OracleAgent } from './tau2-oracle.ts';
import { TextActionAgent } from './text-agent.ts';
import { ToolCallingAgent } from './tool-calling.ts';

/** What factories may need beyond the spec (environment for keys, run-wide cache, backoff). */
export type AgentDeps = ClientOptions;

export type AgentFactory = (spec: ModelSpec, deps: AgentDeps) => Agent;

export class UnknownAgentError extends Error {
  constructor(kind: string, known: readonly string[]) {
    super(`unknown agent '${kind}' (known: ${known.join(', ')})`);
    this.name = 'UnknownAgentError';
  }
}

/** Model-driven agents need a model; say which flag gives one. */
function needsModel(spec: ModelSpec): NonNullable<ModelSpec['llm']> {
  if (!spec.llm) throw new Error(`agent '${spec.kind}' needs a model (--agent-model NAME or ${spec.kind}:model=NAME)`);
  return spec.llm;
}

/** One factory per built-in kind (kinds.ts lists them for help text; the type keeps the two in step). */
const builtIn: Record<AgentKind, AgentFactory> = {
  'tool-calling': (spec, deps) => new ToolCallingAgent(chatClientFromSpec(needsModel(spec), deps)),
  act: (spec, deps) => new TextActionAgent(chatClientFromSpec(needsModel(spec), deps), 'act'),
  react: (spec, deps) => new TextActionAgent(chatClientFromSpec(needsModel(spec), deps), 'react'),
  // Test agents for generated tasks (no model): the ground truth, and it with one seeded error.
  oracle: () => new OracleAgent(),
  flawed: () => new FlawedAgent(),
  // The do-nothing baseline (no tool call, a polite refusal): what it passes is the task set's floor.
  noop: () => new NoopAgent(),
  // τ²-bench tasks: the agent-side gold actions, in the schedule the scripted τ² user follows.
  'tau2-oracle': () => new Tau2OracleAgent(),
};
const factories = new Map<string, AgentFactory>(AGENT_KINDS.map((k) => [k, builtIn[k]]));

/**
 * Adds an agent kind (the oracle and flawed test agents register here from their own modules).
 * Registering a kind twice is a bug, not an override.
 */
export function registerAgent(kind: string, factory: AgentFactory): void {
  if (factories.has(kind)) throw new Error(`agent '${kind}' is already registered`);
  factories.set(kind, factory);
}

export function agentKinds(): string[] {
  return [...factories.keys()];
}

/** Builds the agent a validated spec names (see `modelSpecFromOptions('agent', …)`). */
export function createAgent(spec: ModelSpec, deps: AgentDeps = {}): Agent {
  const factory = factories.get(spec.kind);
  if (!factory) throw new UnknownAgentError(spec.kind, agentKinds());
  return factory(spec, deps);
}
