/** Train config resolution: preset, then file, then `--set` overrides, validated as a whole. */
import { describe, expect, it } from 'vitest';
import { merge, parseOverride } from '../src/rl/overrides.ts';
import { resolveTrainConfig } from '../src/rl/presets.ts';

describe('train config resolution', () => {
  it('merges nested overrides and reads values as JSON when they parse', () => {
    const cfg = resolveTrainConfig({ preset: 'tiny-cpu', sets: ['optim.lr=3e-4', 'rollout.user=scripted', 'steps=3'], data: 'd' });
    expect(cfg.optim.lr).toBe(3e-4);
    expect(cfg.steps).toBe(3);
    expect(cfg.rollout.groupSize).toBe(8); // kept from the preset
    expect(cfg.data.dir).toBe('d');
  });

  it('a model source set on top of a preset replaces it (the kinds are one-of objects)', () => {
    const cfg = resolveTrainConfig({ preset: 'tiny-cpu', sets: ['model.base.checkpoint=runs/sft/checkpoints/400'], data: 'd' });
    expect(cfg.model.base).toEqual({ checkpoint: 'runs/sft/checkpoints/400' });
    expect(merge({ a: { x: 1 }, base: { preset: 'tiny' } }, { a: { y: 2 }, base: { path: 'p' } })).toEqual({ a: { x: 1, y: 2 }, base: { path: 'p' } });
  });

  it('names the bad override, preset or field', () => {
    expect(() => parseOverride('optim.lr')).toThrow(/--set optim.lr: expected key.path=value/);
    expect(() => parseOverride('optim..lr=1')).toThrow(/not a dotted key path/);
    expect(() => resolveTrainConfig({ preset: 'nope' })).toThrow(/unknown preset 'nope' \(presets: tiny-cpu/);
    expect(() => resolveTrainConfig({ preset: 'tiny-cpu', sets: ['optim.lr=-1'], data: 'd' })).toThrow(/optim\.lr/);
  });
});
