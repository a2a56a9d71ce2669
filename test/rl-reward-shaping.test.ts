import { describe, expect, it } from 'vitest';
import { rewardShapingSchema, shapeRewards, tarlReward, type TurnScore } from '../src/rl/reward-shaping.ts';

const scores: TurnScore[] = [1, 0, -1, 1];
const cfg = (over: Partial<Record<string, unknown>> = {}) => rewardShapingSchema.parse(over);

describe('reward shaping (hand-checked, scores [+1,0,-1,+1])', () => {
  it('outcome mode puts the outcome on the last turn only', () => {
    expect(shapeRewards(1, scores, cfg({ mode: 'outcome' }))).toEqual([0, 0, 0, 1]);
    expect(shapeRewards(0, null, cfg({ mode: 'outcome' }), 3)).toEqual([0, 0, 0]);
  });
  it('tarl, outcome + λ·mean (default λ=10)', () => {
    // mean = 1/4; R = 0 + 10·0.25 = 2.5 ; with outcome 1: 3.5
    expect(shapeRewards(0, scores, cfg())).toEqual([0, 0, 0, 2.5]);
    expect(shapeRewards(1, scores, cfg())).toEqual([0, 0, 0, 3.5]);
  });
  it('tarl, outcome + λ·sum', () => {
    // sum = 1; R = 1 + 10·1 = 11
    expect(shapeRewards(1, scores, cfg({ aggregation: 'sum' }))).toEqual([0, 0, 0, 11]);
  });
  it('tarl, λ·outcome + mean and λ·outcome + sum', () => {
    // R = 10·1 + 0.25 = 10.25 ; R = 10·1 + 1 = 11 ; outcome 0 and sum: 1
    expect(shapeRewards(1, scores, cfg({ formula: 'lambda*outcome+agg' }))).toEqual([0, 0, 0, 10.25]);
    expect(shapeRewards(1, scores, cfg({ formula: 'lambda*outcome+agg', aggregation: 'sum' }))).toEqual([0, 0, 0, 11]);
    expect(shapeRewards(0, scores, cfg({ formula: 'lambda*outcome+agg', aggregation: 'sum' }))).toEqual([0, 0, 0, 1]);
  });
  it('tarl with another λ', () => {
    expect(tarlReward(1, [1, 1], cfg({ lambda: 0.5 }))).toBe(1.5);
  });
  it('turn mode: each score on its turn, outcome added at the end', () => {
    expect(shapeRewards(0, scores, cfg({ mode: 'turn' }))).toEqual([1, 0, -1, 1]);
    expect(shapeRewards(1, scores, cfg({ mode: 'turn' }))).toEqual([1, 0, -1, 2]);
  });
  it('refuses judged modes without scores or with the wrong count', () => {
    expect(() => shapeRewards(1, null, cfg(), 4)).toThrow(/needs turn scores/);
    expect(() => shapeRewards(1, [1, 1], cfg(), 4)).toThrow(/expected 4 turn scores/);
  });
  it('an episode without agent turns has no rewards', () => {
    expect(shapeRewards(1, [], cfg())).toEqual([]);
  });
});
