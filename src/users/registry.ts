import type { ChatClient } from '../llm/client.ts';
import { ModelSpecError, modelSpecFromConfig, type ModelSpec } from '../llm/model-spec.ts';
import { chatClientFromSpec, type ClientOptions } from '../llm/spec-client.ts';
import { HumanUser, type HumanIo } from './human-user.ts';
import { LlmUser } from './llm-user.ts';
import { ReactUser } from './react-user.ts';
import { ReflectionUser } from './reflection-user.ts';
import type { UserSimulator } from './user.ts';
import { VerifyUser } from './verify-user.ts';

/** Knobs that are not part of a model spec. */
export interface UserOptions extends HumanIo {
  /** How the chat client is built from the spec (env, run-wide cache directory, backoff). */
  client?: ClientOptions;
  /** verify / reflection: drafts per turn (τ-bench's defaults 3 / 2 when unset). */
  maxAttempts?: number;
  /** react: extra attempts after an unparseable reply (default 2). */
  parseRetries?: number;
}

interface UserKind {
  /** Whether the kind is driven by a model (and so needs `model=` in its spec). */
  model: boolean;
  make(client: ChatClient | undefined, opts: UserOptions): UserSimulator;
}

const need = (client: ChatClient | undefined): ChatClient => {
  if (!client) throw new ModelSpecError('internal: model-driven user built without a client');
  return client;
};

/** Every user strategy by its spec kind (τ-bench's `--user-strategy` names). */
const KINDS: Readonly<Record<string, UserKind>> = {
  llm: { model: true, make: (c) => new LlmUser(need(c)) },
  react: { model: true, make: (c, o) => new ReactUser(need(c), o.parseRetries) },
  verify: { model: true, make: (c, o) => new VerifyUser(need(c), o.maxAttempts) },
  reflection: { model: true, make: (c, o) => new ReflectionUser(need(c), o.maxAttempts) },
  human: { model: false, make: (_c, o) => new HumanUser(o) },
};

export const USER_KINDS: readonly string[] = Object.keys(KINDS);

/**
 * The user simulator a spec names. The spec is the shared model-spec form (src/llm/model-spec.ts):
 * a string such as `react:model=gpt-4o,temperature=0` or `human`, a config object, or an
 * already-parsed ModelSpec (e.g. from `modelSpecFromOptions('user', opts)`).
 */
export function createUser(spec: ModelSpec | string, opts: UserOptions = {}): UserSimulator {
  const s = typeof spec === 'string' ? modelSpecFromConfig(spec) : spec;
  const kind = KINDS[s.kind];
  if (!kind) throw new ModelSpecError(`unknown user kind '${s.kind}' (kinds: ${USER_KINDS.join(', ')})`);
  if (kind.model && !s.llm) throw new ModelSpecError(`user '${s.kind}' needs a model, e.g. ${s.kind}:model=gpt-4o`);
  if (!kind.model && s.llm) throw new ModelSpecError(`user '${s.kind}' takes no model (got model=${s.llm.model})`);
  const client = s.llm ? chatClientFromSpec(s.llm, opts.client) : undefined;
  return kind.make(client, opts);
}
