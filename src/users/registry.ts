import { ModelSpecError, modelSpecFromConfig, type LlmSpec, type ModelSpec } from '../llm/model-spec.ts';
import { chatClientFromSpec, type ClientOptions } from '../llm/spec-client.ts';
import { HumanUser, type HumanIo } from './human-user.ts';
import { USER_KINDS, type UserKind } from './kinds.ts';
import { LlmUser } from './llm-user.ts';
import { ReactUser } from './react-user.ts';
import { ReflectionUser } from './reflection-user.ts';
import { ScriptedUser } from './scripted.ts';
import type { UserSimulator } from './user.ts';
import { VerifyUser } from './verify-user.ts';

/** Knobs that are not part of a model spec. */
export interface UserOptions extends HumanIo {
  /** How the chat client is built from the spec (env for keys, run-wide cache directory, backoff). */
  client?: ClientOptions;
  /** verify / reflection: drafts per turn (τ-bench's defaults 3 / 2 when unset). */
  maxAttempts?: number;
  /** react: extra attempts after an unparseable reply (default 2). */
  parseRetries?: number;
}

export type UserFactory = (spec: ModelSpec, opts: UserOptions) => UserSimulator;

/** Model-driven users need a model; say how to give one. */
function needsModel(spec: ModelSpec): LlmSpec {
  if (!spec.llm) throw new ModelSpecError(`user '${spec.kind}' needs a model (--user-model NAME or ${spec.kind}:model=NAME)`);
  return spec.llm;
}

/** The τ-bench user strategies, by their `--user-strategy` names. */
const builtIn: Record<UserKind, UserFactory> = {
  llm: (s, o) => new LlmUser(chatClientFromSpec(needsModel(s), o.client)),
  react: (s, o) => new ReactUser(chatClientFromSpec(needsModel(s), o.client), o.parseRetries),
  verify: (s, o) => new VerifyUser(chatClientFromSpec(needsModel(s), o.client), o.maxAttempts),
  reflection: (s, o) => new ReflectionUser(chatClientFromSpec(needsModel(s), o.client), o.maxAttempts),
  human: (s, o) => {
    if (s.llm) throw new ModelSpecError(`user 'human' takes no model (got model=${s.llm.model})`);
    return new HumanUser(o);
  },
  // Follows a generated task's structured intent through the dialogue-act protocol (no model).
  scripted: (s) => {
    if (s.llm) throw new ModelSpecError(`user 'scripted' takes no model (got model=${s.llm.model})`);
    return new ScriptedUser();
  },
};
/** Built-in kinds in kinds.ts's order (the type keeps the list and the factories in step), then any registered. */
const factories = new Map<string, UserFactory>(USER_KINDS.map((k) => [k, builtIn[k]]));

/** Adds a user kind (e.g. the scripted user, from its own module). Registering twice is a bug, not an override. */
export function registerUser(kind: string, factory: UserFactory): void {
  if (factories.has(kind)) throw new Error(`user '${kind}' is already registered`);
  factories.set(kind, factory);
}

export function userKinds(): string[] {
  return [...factories.keys()];
}

/**
 * The user simulator a spec names, in the shared model-spec form (src/llm/model-spec.ts): a
 * string such as `react:model=gpt-4o,temperature=0` or `human`, or a parsed ModelSpec (e.g.
 * from `modelSpecFromOptions('user', opts)` or `modelSpecFromConfig(value)`).
 */
export function createUser(spec: ModelSpec | string, opts: UserOptions = {}): UserSimulator {
  const s = typeof spec === 'string' ? modelSpecFromConfig(spec) : spec;
  const factory = factories.get(s.kind);
  if (!factory) throw new ModelSpecError(`unknown user '${s.kind}' (known: ${userKinds().join(', ')})`);
  return factory(s, opts);
}
