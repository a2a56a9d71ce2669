/**
 * A τ²-bench world loaded from a data directory: what every episode of a domain shares (the
 * validated database templates, the policy, the tool schemas), and the factory of one
 * episode's environment.
 */
import type { Tau2Task } from '../../dataset/tau2-task.ts';
import type { Tau2Environment } from './environment.ts';
import type { OpenAiToolSchema } from './tool.ts';

export const TAU2_DOMAINS = ['airline', 'retail', 'telecom', 'banking_knowledge'] as const;
export type Tau2DomainName = (typeof TAU2_DOMAINS)[number];

export function isTau2Domain(name: string): name is Tau2DomainName {
  return (TAU2_DOMAINS as readonly string[]).includes(name);
}

export interface EnvironmentOptions {
  /** Telecom solo mode: one agent with both toolkits (`make_tool_call` routes user-tool names). */
  soloMode?: boolean;
  /** Banking: read-only discoverable tools whose calls are logged (from the task's gold actions). */
  readLogAllowlist?: ReadonlySet<string>;
  /**
   * Python process-wide state shared by the environments given the same object, as in one τ²
   * process (telecom's `TelecomUserTools.default_vpn_details` is a class attribute that
   * `break_vpn` mutates for every later episode). Absent: the episode gets its own (isolated).
   */
  process?: ProcessState;
  /** Telecom: the id of a new draft bill (upstream `B{uuid4().hex[:8]}`, random; replays fix it). */
  newBillId?: () => string;
}

/** Mutable state that τ² keeps per Python process (class attributes), keyed by what holds it. */
export class ProcessState {
  private readonly values = new Map<string, unknown>();

  get<T>(key: string, make: () => T): T {
    if (!this.values.has(key)) this.values.set(key, make());
    return this.values.get(key) as T;
  }
}

export interface Tau2World {
  domain: Tau2DomainName;
  /**
   * The agent's policy text (telecom: main + tech-support policy, solo variants when asked;
   * banking: the retrieval variant's prompt, with the task's required documents for `golden_retrieval`).
   */
  policy(opts?: { soloMode?: boolean; task?: Tau2Task }): string;
  agentTools(): readonly OpenAiToolSchema[];
  userTools(): readonly OpenAiToolSchema[];
  /** A fresh environment for one episode (its own database copies over the shared templates). */
  environment(opts?: EnvironmentOptions): Tau2Environment;
  /** The pristine hashes (`get_db_hash()` of a fresh environment, user DB or null). */
  pristine(): { dbHash: string; userDbHash: string | null };
}
