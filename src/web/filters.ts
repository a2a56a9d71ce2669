import { z } from 'zod';
import type { EpisodeHead, EpisodeIndex } from '../run/episode-log.ts';

/** The episode list's filters, as query parameters (every one optional; empty means any). */
export const episodeFilterSchema = z.object({
  domain: z.string().optional(),
  split: z.string().optional(),
  kind: z.string().optional(),
  outcome: z.enum(['pass', 'fail']).optional(),
  termination: z.enum(['user_stop', 'agent_transfer', 'max_steps', 'error']).optional(),
  /** `1`: only episodes with a −1 verdict; `0`: only those without. */
  neg: z.enum(['1', '0']).optional(),
  /** A training step `N` or a range `A-B`. */
  step: z
    .string()
    .regex(/^\d+(-\d+)?$/, 'a step N or a range A-B')
    .optional(),
  modality: z.string().optional(),
  /** Text search over the whole record (case-insensitive). */
  q: z.string().max(200).optional(),
});
export type EpisodeFilter = z.infer<typeof episodeFilterSchema>;

export const FILTER_KEYS = Object.keys(episodeFilterSchema.shape) as (keyof EpisodeFilter)[];

/** Reads filters from query parameters; empty values mean "any". Invalid values are errors naming the parameter. */
export function parseFilter(query: Record<string, string | undefined>): { filter: EpisodeFilter; error?: string } {
  const raw: Record<string, string> = {};
  for (const k of FILTER_KEYS) {
    const v = query[k];
    if (v !== undefined && v.trim() !== '') raw[k] = v.trim();
  }
  const parsed = episodeFilterSchema.safeParse(raw);
  if (parsed.success) return { filter: parsed.data };
  return { filter: {}, error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

export interface FilterContext {
  /** A task's kind (from the dataset), or undefined when unknown. */
  kindOf: (taskId: string, domain: string) => string | undefined;
  /** The run's modality, for records that do not state one. */
  runModality: string;
}

/** A task's kind for filtering and listing: the dataset's, `math` for math problems, else `?`. */
export function kindLabel(h: Pick<EpisodeHead, 'taskId' | 'domain'>, ctx: FilterContext): string {
  return ctx.kindOf(h.taskId, h.domain) ?? (h.domain === 'math' ? 'math' : '?');
}

/**
 * A predicate over record heads for the filters (all but the text search, which needs the
 * record), with the filter's values parsed once.
 */
export function compileFilter(f: EpisodeFilter, ctx: FilterContext): (h: EpisodeHead) => boolean {
  const [lo, hi] = f.step === undefined ? [0, 0] : (f.step.split('-').map(Number) as [number, number | undefined]);
  const stepHi = hi ?? lo;
  const pass = f.outcome === undefined ? undefined : f.outcome === 'pass';
  const neg = f.neg === undefined ? undefined : f.neg === '1';
  return (h) => {
    if (f.domain !== undefined && h.domain !== f.domain) return false;
    if (f.split !== undefined && h.split !== f.split) return false;
    if (pass !== undefined && h.reward >= 1 !== pass) return false;
    if (f.termination !== undefined && h.termination !== f.termination) return false;
    if (neg !== undefined && (h.negTurn !== null) !== neg) return false;
    if (f.step !== undefined && (h.step === null || h.step < lo || h.step > stepHi)) return false;
    if (f.modality !== undefined && (h.modality ?? ctx.runModality) !== f.modality) return false;
    if (f.kind !== undefined && kindLabel(h, ctx) !== f.kind) return false;
    return true;
  };
}

/**
 * What a search looks for inside a record's JSON line: the query as JSON escapes it (so quotes
 * and newlines match), as a case-insensitive pattern (no lower-cased copy of each record).
 */
export function searchPattern(q: string): RegExp {
  const escaped = JSON.stringify(q).slice(1, -1);
  return new RegExp(escaped.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
}

/** What the filter selects can offer, from every indexed record. */
export interface Facets {
  domains: string[];
  splits: string[];
  kinds: string[];
  modalities: string[];
  steps: [number, number] | null;
}

export function facets(idx: EpisodeIndex, ctx: FilterContext): Facets {
  const domains = new Set<string>();
  const splits = new Set<string>();
  const kinds = new Set<string>();
  const modalities = new Set<string>();
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < idx.count; i++) {
    const h = idx.head(i);
    domains.add(h.domain);
    splits.add(h.split);
    kinds.add(kindLabel(h, ctx));
    modalities.add(h.modality ?? ctx.runModality);
    if (h.step !== null) {
      lo = Math.min(lo, h.step);
      hi = Math.max(hi, h.step);
    }
  }
  const sorted = (s: Set<string>): string[] => [...s].sort();
  return { domains: sorted(domains), splits: sorted(splits), kinds: sorted(kinds), modalities: sorted(modalities), steps: lo <= hi ? [lo, hi] : null };
}
