import type { PyDict } from '../py/value.ts';
import type { Tool } from '../sandbox/tool.ts';

export const DOMAIN_NAMES = ['retail', 'airline', 'starter'] as const;
export type DomainName = (typeof DOMAIN_NAMES)[number];

/** Domains τ-bench has data, tasks and golden vectors for (`starter` is ours alone). */
export const TAUBENCH_DOMAINS = ['retail', 'airline'] as const satisfies readonly DomainName[];
export type TaubenchDomain = (typeof TAUBENCH_DOMAINS)[number];

/** A lookup column: derives an indexed value from a record (null: not indexed). */
export type IndexFn = (doc: PyDict) => string | null;

/** One world type: its tables, its tools and the lookup columns its tools query. */
export interface Domain {
  name: DomainName;
  /** Top-level tables of the data object, in τ-bench's order (e.g. users, orders, products). */
  tables: readonly string[];
  tools: readonly Tool[];
  /** Indexed lookup columns per table, kept current on every write. */
  indexes: Readonly<Record<string, Readonly<Record<string, IndexFn>>>>;
  /**
   * The episode fails when a write succeeds without the user's explicit yes just before it
   * (src/dialogue/confirmation.ts). Our own worlds set it; τ-bench's keep its database-only reward.
   */
  confirmWrites?: boolean;
}

/** A world's data: table → record key → record, in insertion order. */
export type WorldData = Map<string, Map<string, PyDict>>;
