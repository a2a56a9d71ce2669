import { describe, expect, it } from 'vitest';
import { minibatches, toData, turnRewardsOnTokens, type TrainItem } from '../src/rl/train-batch.ts';

const item = (ids: number[], mask: number[], adv: number[], lp: number[]): TrainItem => ({
  seq: { ids_T: ids, mask_T: mask, logprobs_T: lp, turn_T: mask.map((m) => (m ? 0 : -1)) },
  advantages_T: adv,
  oldLogprobs_T: lp,
  from: { group: 0, sample: 0 },
});

describe('toData', () => {
  it('shifts by one, folds token-mean aggregation into the weights, and scales advantages by the multipliers', () => {
    const a = item([1, 2, 3, 4], [0, 0, 1, 1], [0, 0, 2, 2], [0, 0, -1, -2]);
    const b = item([5, 6], [0, 1], [0, -1], [0, -3]);
    const [da, db] = toData([a, b], { mode: 'token_mean' }, [
      [0, 0, 0.5, 1],
      [0, 1],
    ]);
    // 3 trainable tokens in the minibatch → 1/3 each
    expect(da).toEqual({ input_ids: [1, 2, 3], target_ids: [2, 3, 4], weights: [0, 1 / 3, 1 / 3], advantages: [0, 1, 2], old_logprobs: [0, -1, -2] });
    expect(db).toEqual({ input_ids: [5], target_ids: [6], weights: [1 / 3], advantages: [-1], old_logprobs: [-3] });
  });
});

describe('turnRewardsOnTokens', () => {
  it("puts each turn's reward on that turn's last sampled token", () => {
    const seq = { ids_T: [1, 2, 3, 4, 5, 6], mask_T: [0, 1, 1, 0, 1, 1], logprobs_T: [0, 0, 0, 0, 0, 0], turn_T: [-1, 0, 0, -1, 1, 1] };
    expect(turnRewardsOnTokens(seq, [0.5, 2])).toEqual([0, 0, 0.5, 0, 0, 2]);
  });
});

describe('minibatches', () => {
  it('splits in a seeded order into at most n non-empty batches covering every item once', () => {
    const xs = [...Array(10).keys()];
    const mb = minibatches(xs, 3, 's');
    expect(mb).toHaveLength(3);
    expect(mb.flat().sort((a, b) => a - b)).toEqual(xs);
    expect(minibatches(xs, 3, 's')).toEqual(mb);
    expect(minibatches([1], 4, 's')).toEqual([[1]]);
  });
});
