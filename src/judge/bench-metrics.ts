import type { JudgeRecord, TurnVerdict } from '../episode/trajectory.ts';

/** One benchmark episode: what was injected where (null for a clean episode) and the verdicts. */
export interface JudgeBenchItem {
  /** Mistake kind injected by the flawed agent, or `clean`. */
  kind: string;
  injectedTurn: number | null;
  record: JudgeRecord;
  /** The oracle judge's verdicts on the same episode, for agreement. */
  reference?: readonly TurnVerdict[];
}

export interface KindFigures {
  episodes: number;
  /** The −1 is on the injected turn. */
  localised: number;
  /** Some turn got −1 (any turn). */
  flagged: number;
  localisationAccuracy: number | null;
}

export interface JudgeBenchFigures {
  perKind: Record<string, KindFigures>;
  /** Clean episodes with any −1, over clean episodes. */
  falseNegativeRate: number | null;
  /** Turns where the judge's score equals the reference's, over turns both scored. */
  agreement: number | null;
  judgeFailed: number;
  episodes: number;
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

/**
 * Judge benchmark figures. Localisation accuracy for a kind = episodes whose single −1 sits on
 * the injected turn / episodes of that kind (a failed judgement counts as not localised).
 * Worked example: 4 wrong_payment episodes, −1 on the injected turn in 3 → 0.75.
 */
export function judgeBenchFigures(items: readonly JudgeBenchItem[]): JudgeBenchFigures {
  const perKind: Record<string, KindFigures> = {};
  let cleanEpisodes = 0;
  let cleanFlagged = 0;
  let agree = 0;
  let compared = 0;
  let failed = 0;
  for (const it of items) {
    const ok = it.record.status === 'ok';
    if (!ok) failed++;
    const neg = ok ? it.record.verdicts.find((v) => v.score === -1) : undefined;
    if (it.injectedTurn === null) {
      cleanEpisodes++;
      if (neg) cleanFlagged++;
    } else {
      const f = (perKind[it.kind] ??= { episodes: 0, localised: 0, flagged: 0, localisationAccuracy: null });
      f.episodes++;
      if (neg) f.flagged++;
      if (neg && neg.turn === it.injectedTurn) f.localised++;
    }
    if (ok && it.reference) {
      const ref = new Map(it.reference.map((v) => [v.turn, v.score]));
      for (const v of it.record.verdicts) {
        const r = ref.get(v.turn);
        if (r === undefined) continue;
        compared++;
        if (r === v.score) agree++;
      }
    }
  }
  for (const f of Object.values(perKind)) f.localisationAccuracy = ratio(f.localised, f.episodes);
  return { perKind, falseNegativeRate: ratio(cleanFlagged, cleanEpisodes), agreement: ratio(agree, compared), judgeFailed: failed, episodes: items.length };
}
