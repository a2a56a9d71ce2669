import { describe, expect, it } from 'vitest';
import type { JudgeRecord, TurnVerdict } from '../src/episode/trajectory.ts';
import { judgeBenchFigures } from '../src/judge/bench-metrics.ts';

const v = (...scores: (-1 | 0 | 1)[]): TurnVerdict[] => scores.map((score, turn) => ({ turn, score, rationale: '' }));
const rec = (verdicts: TurnVerdict[]): JudgeRecord => ({ judge: 'j', status: 'ok', verdicts });
const failed: JudgeRecord = { judge: 'j', status: 'judge_failed', verdicts: [], raw: 'x' };

describe('judgeBenchFigures (hand-checked)', () => {
  it('localisation, false −1 rate, agreement, failures', () => {
    const f = judgeBenchFigures([
      { kind: 'wrong_payment', injectedTurn: 2, record: rec(v(1, 1, -1)), reference: v(1, 1, -1) }, // localised
      { kind: 'wrong_payment', injectedTurn: 2, record: rec(v(-1, 1, 0)), reference: v(1, 1, -1) }, // flagged elsewhere
      { kind: 'wrong_payment', injectedTurn: 1, record: failed }, // failed: not localised
      { kind: 'premature_transfer', injectedTurn: 0, record: rec(v(-1)) },
      { kind: 'clean', injectedTurn: null, record: rec(v(1, 1)), reference: v(1, 1) },
      { kind: 'clean', injectedTurn: null, record: rec(v(1, -1)) },
    ]);
    expect(f.perKind.wrong_payment).toEqual({ episodes: 3, localised: 1, flagged: 2, localisationAccuracy: 1 / 3 });
    expect(f.perKind.premature_transfer!.localisationAccuracy).toBe(1);
    expect(f.falseNegativeRate).toBe(0.5);
    // compared turns: 3 + 3 + 2 = 8; agreeing: 3 + 1 (turn 1) + 2 = 6
    expect(f.agreement).toBeCloseTo(6 / 8, 12);
    expect(f.judgeFailed).toBe(1);
    expect(f.episodes).toBe(6);
  });
  it('empty input has no rates', () => {
    expect(judgeBenchFigures([])).toEqual({ perKind: {}, falseNegativeRate: null, agreement: null, judgeFailed: 0, episodes: 0 });
  });
});
