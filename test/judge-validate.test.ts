import { describe, expect, it } from 'vitest';
import { validateVerdicts } from '../src/judge/validate.ts';

const good = JSON.stringify({
  turns: [
    { turn: 0, score: 1, rationale: 'asks for the email' },
    { turn: 1, score: -1, rationale: 'cancels the wrong order' },
    { turn: 2, score: 0, rationale: 'carries the error' },
  ],
});

describe('validateVerdicts', () => {
  it('accepts a valid reply', () => {
    const r = validateVerdicts(good, 3);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.verdicts.map((v) => v.score)).toEqual([1, -1, 0]);
      expect(r.repairs).toEqual([]);
    }
  });
  it('repairs JSON inside prose or a code fence', () => {
    const r = validateVerdicts('Here is my verdict:\n```json\n' + good + '\n```\nThanks.', 3);
    expect(r.ok && r.repairs[0]).toMatch(/extracted/);
  });
  it('repairs string scores and exact duplicates', () => {
    const raw = JSON.stringify({
      turns: [
        { turn: 0, score: '+1', rationale: 'ok' },
        { turn: 0, score: 1, rationale: 'ok' },
        { turn: 1, score: '-1', rationale: 'bad' },
      ],
    });
    const r = validateVerdicts(raw, 2);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.verdicts).toEqual([
        { turn: 0, score: 1, rationale: 'ok' },
        { turn: 1, score: -1, rationale: 'bad' },
      ]);
      expect(r.repairs).toHaveLength(3);
    }
  });
  it('rejects two -1s', () => {
    const raw = JSON.stringify({ turns: [{ turn: 0, score: -1, rationale: 'a' }, { turn: 1, score: -1, rationale: 'b' }] });
    expect(validateVerdicts(raw, 2)).toEqual({ ok: false, error: expect.stringMatching(/2 turns scored -1/) });
  });
  it('rejects missing and extra turns', () => {
    const missing = JSON.stringify({ turns: [{ turn: 0, score: 1, rationale: 'a' }] });
    expect(validateVerdicts(missing, 2)).toEqual({ ok: false, error: 'turns not scored: 1' });
    const extra = JSON.stringify({ turns: [{ turn: 0, score: 1, rationale: 'a' }, { turn: 5, score: 1, rationale: 'b' }] });
    expect(validateVerdicts(extra, 1)).toEqual({ ok: false, error: expect.stringMatching(/turn 5 does not exist/) });
  });
  it('rejects prose without JSON, bad scores, conflicting duplicates and missing rationales', () => {
    expect(validateVerdicts('All turns look fine to me.', 1).ok).toBe(false);
    expect(validateVerdicts(JSON.stringify({ turns: [{ turn: 0, score: 2, rationale: 'a' }] }), 1).ok).toBe(false);
    expect(validateVerdicts(JSON.stringify({ turns: [{ turn: 0, score: 0.5, rationale: 'a' }] }), 1).ok).toBe(false);
    const conflict = JSON.stringify({ turns: [{ turn: 0, score: 1, rationale: 'a' }, { turn: 0, score: 0, rationale: 'b' }] });
    expect(validateVerdicts(conflict, 1)).toEqual({ ok: false, error: expect.stringMatching(/different scores/) });
    expect(validateVerdicts(JSON.stringify({ turns: [{ turn: 0, score: 1 }] }), 1)).toEqual({ ok: false, error: 'turn 0: rationale is missing' });
  });
});
