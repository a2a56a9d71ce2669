import { describe, expect, it } from 'vitest';
import type { StepRecord } from '../src/episode/trajectory.ts';
import { episodeTokens } from '../src/rl/episode-tokens.ts';

const step = (turn: number, tokens: StepRecord['tokens']): StepRecord => ({
  turn,
  action: { type: 'respond', content: '' },
  messageIndex: 2 * turn + 2,
  wallMs: 0,
  ...(tokens && { tokens }),
});

describe('episodeTokens', () => {
  it('concatenates deltas and completions of a token-native episode into one sequence (the worked example)', () => {
    const r = episodeTokens([
      step(0, { deltaIds: [1, 2, 3], completionIds: [4, 5], logprobs: [-0.5, -0.25] }),
      step(1, { deltaIds: [6], completionIds: [7], logprobs: [-1] }),
    ]);
    expect(r.prefixBreaks).toBe(0);
    expect(r.sequences).toEqual([
      { ids_T: [1, 2, 3, 4, 5, 6, 7], mask_T: [0, 0, 0, 1, 1, 0, 1], logprobs_T: [0, 0, 0, -0.5, -0.25, 0, -1], turn_T: [-1, -1, -1, 0, 0, -1, 1] },
    ]);
  });

  it('merges whole-prompt records while each prompt extends the sequence, and starts anew (counted) when one does not', () => {
    const r = episodeTokens([
      step(0, { promptIds: [1, 2], completionIds: [3], logprobs: [-1] }),
      step(1, { promptIds: [1, 2, 3, 4], completionIds: [5], logprobs: [-2] }),
      // re-rendered differently: 3 became 9
      step(2, { promptIds: [1, 2, 9, 4, 5, 6], completionIds: [7], logprobs: [-3] }),
    ]);
    expect(r.prefixBreaks).toBe(1);
    expect(r.sequences.map((s) => s.ids_T)).toEqual([
      [1, 2, 3, 4, 5],
      [1, 2, 9, 4, 5, 6, 7],
    ]);
    // In the new sequence the earlier turns are context only: just turn 2's token carries loss.
    expect(r.sequences[1]!.mask_T).toEqual([0, 0, 0, 0, 0, 0, 1]);
  });

  it('masks unparsed completions when asked, keeps their turn index, and counts turns without tokens', () => {
    const r = episodeTokens(
      [
        step(0, { deltaIds: [1], completionIds: [2, 3], logprobs: [-1, -1], parsed: false }),
        step(1, undefined),
        step(2, { deltaIds: [4], completionIds: [5], logprobs: [-1], parsed: true }),
      ],
      { maskUnparsed: true },
    );
    expect(r.missing).toBe(1);
    expect(r.sequences[0]!.mask_T).toEqual([0, 0, 0, 0, 1]);
    expect(r.sequences[0]!.turn_T).toEqual([-1, 0, 0, -1, 2]);
  });

  it('refuses a record whose ids and log-probs differ in length', () => {
    expect(() => episodeTokens([step(0, { deltaIds: [1], completionIds: [2, 3], logprobs: [-1] })])).toThrow(/2 sampled ids but 1 log-probs/);
  });
});
