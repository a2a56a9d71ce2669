import type { TurnVerdict } from '../episode/trajectory.ts';

export type ValidationResult =
  | { ok: true; verdicts: TurnVerdict[]; repairs: string[] }
  | { ok: false; error: string };

/** Extracts the one JSON object in a reply: whole text, or a single fenced/embedded object. */
function extractJson(raw: string): { value: unknown; repair?: string } | { error: string } {
  const text = raw.trim();
  try {
    return { value: JSON.parse(text) as unknown };
  } catch {
    // fall through: look for exactly one embedded object
  }
  const fence = /```(?:json)?\s*([\s\S]*?)```/g;
  const fenced = [...text.matchAll(fence)].map((m) => m[1]!.trim());
  const candidates = fenced.length > 0 ? fenced : [text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1)];
  if (candidates.length !== 1 || !candidates[0]) return { error: 'the reply is not JSON and holds no single JSON object' };
  try {
    return { value: JSON.parse(candidates[0]) as unknown, repair: 'extracted the JSON object from surrounding text' };
  } catch {
    return { error: 'the reply is not JSON and holds no single parseable JSON object' };
  }
}

function asScore(v: unknown): -1 | 0 | 1 | undefined {
  if (v === 1 || v === 0 || v === -1) return v;
  if (typeof v === 'string' && /^\s*[+-]?[01]\s*$/.test(v)) {
    const n = Number(v);
    return n === 1 || n === 0 || n === -1 ? (n === 0 ? 0 : n) : undefined;
  }
  return undefined;
}

/**
 * Checks a judge reply `{"turns":[{"turn","score","rationale"}]}` against an episode of `turns`
 * agent turns. Repairs only what has one reading — JSON wrapped in prose or a code fence, scores
 * written as strings ("+1"), exact duplicate entries — and rejects the rest (missing or extra
 * turns, conflicting duplicates, scores outside {−1,0,+1}, more than one −1) so the caller
 * retries.
 */
export function validateVerdicts(raw: string, turns: number): ValidationResult {
  const parsed = extractJson(raw);
  if ('error' in parsed) return { ok: false, error: parsed.error };
  const repairs = parsed.repair ? [parsed.repair] : [];
  const root = parsed.value;
  const list = Array.isArray(root) ? root : root && typeof root === 'object' ? (root as Record<string, unknown>).turns : undefined;
  if (!Array.isArray(list)) return { ok: false, error: 'expected an object with a "turns" array' };
  const byTurn = new Map<number, TurnVerdict>();
  for (const [i, item] of list.entries()) {
    if (!item || typeof item !== 'object') return { ok: false, error: `turns[${i}] is not an object` };
    const o = item as Record<string, unknown>;
    const turn = o.turn;
    if (typeof turn !== 'number' || !Number.isInteger(turn)) return { ok: false, error: `turns[${i}].turn is not an integer` };
    if (turn < 0 || turn >= turns) return { ok: false, error: `turn ${turn} does not exist (the episode has ${turns} agent turns)` };
    const score = asScore(o.score);
    if (score === undefined) return { ok: false, error: `turn ${turn}: score ${JSON.stringify(o.score)} is not one of -1, 0, 1` };
    if (typeof o.score === 'string') repairs.push(`turn ${turn}: score string ${JSON.stringify(o.score)} read as ${score}`);
    if (typeof o.rationale !== 'string') return { ok: false, error: `turn ${turn}: rationale is missing` };
    const v: TurnVerdict = { turn, score, rationale: o.rationale.trim().split('\n')[0]! };
    const prev = byTurn.get(turn);
    if (prev) {
      if (prev.score !== v.score) return { ok: false, error: `turn ${turn} is scored twice with different scores` };
      repairs.push(`turn ${turn}: dropped a duplicate entry`);
      continue;
    }
    byTurn.set(turn, v);
  }
  const missing = Array.from({ length: turns }, (_, t) => t).filter((t) => !byTurn.has(t));
  if (missing.length > 0) return { ok: false, error: `turns not scored: ${missing.join(', ')}` };
  const verdicts = [...byTurn.values()].sort((a, b) => a.turn - b.turn);
  const negatives = verdicts.filter((v) => v.score === -1).length;
  if (negatives > 1) return { ok: false, error: `${negatives} turns scored -1; at most one (the most significant mistake) is allowed` };
  return { ok: true, verdicts, repairs };
}
