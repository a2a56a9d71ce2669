import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { curriculumSchema, drawStep, focusWeight, kindTallies, mathRatio, type KindTally } from '../src/rl/curriculum.ts';

const tasks: Task[] = Array.from({ length: 10 }, (_, i) => ({ id: `train/${i}`, domain: 'retail', split: 'train', index: i, userId: 'u', instruction: '', actions: [], outputs: [] }));

describe('drawStep', () => {
  it('is a pure function of (seed, step) and covers every task once per epoch', () => {
    const c = curriculumSchema.parse({ tasksPerStep: 5 });
    expect(drawStep(c, tasks, 3, 1)).toEqual(drawStep(c, tasks, 3, 1));
    const epoch0 = [0, 1].flatMap((s) => drawStep(c, tasks, 3, s).map((d) => d.task.id));
    expect(new Set(epoch0).size).toBe(10);
    const epoch1 = [2, 3].flatMap((s) => drawStep(c, tasks, 3, s).map((d) => d.task.id));
    expect(new Set(epoch1).size).toBe(10);
    expect(epoch1).not.toEqual(epoch0); // a fresh order each epoch
  });

  it('mixes math problems at the configured share, with a warm-up stage (the worked example)', () => {
    const c = curriculumSchema.parse({ tasksPerStep: 4, math: { ratio: 0.25, levels: [0, 1], warmupSteps: 2, warmupRatio: 0.5 } });
    expect(mathRatio(c, 0)).toBe(0.5);
    expect(mathRatio(c, 2)).toBe(0.25);
    const kinds = (s: number): string[] => drawStep(c, tasks, 1, s).map((d) => d.kind);
    expect(kinds(0)).toEqual(['tool', 'tool', 'math', 'math']);
    expect(kinds(2)).toEqual(['tool', 'tool', 'tool', 'math']);
    for (const d of drawStep(c, tasks, 1, 2)) if (d.kind === 'math') expect([0, 1]).toContain(d.task.level);
    // tool positions count tool slots only: steps 0,1 used 2+2, so step 2 starts at position 4 of epoch 0
    const noWarm = curriculumSchema.parse({ tasksPerStep: 2 });
    const order = [0, 1, 2, 3, 4].flatMap((s) => drawStep(noWarm, tasks, 1, s).map((d) => d.task.id));
    expect(drawStep(c, tasks, 1, 2).filter((d) => d.kind === 'tool').map((d) => d.task.id)).toEqual(order.slice(4, 7));
  });

  it('draws only math when the dataset has no tool tasks', () => {
    const c = curriculumSchema.parse({ tasksPerStep: 3 });
    expect(drawStep(c, [], 0, 0).map((d) => d.kind)).toEqual(['math', 'math', 'math']);
  });
});

describe('curriculum.focus by kind', () => {
  it('weighs a kind 4p(1−p) with p the Beta(1,1) posterior mean, never below the floor (the worked example)', () => {
    expect(focusWeight({ episodes: 16, passed: 8 }, 0.1)).toBeCloseTo(1, 12);
    expect(focusWeight({ episodes: 30, passed: 23 }, 0.1)).toBeCloseTo(0.75, 12);
    expect(focusWeight({ episodes: 14, passed: 0 }, 0.1)).toBeCloseTo(0.234375, 12);
    expect(focusWeight({ episodes: 126, passed: 126 }, 0.1)).toBe(0.1);
    expect(focusWeight(undefined, 0.1)).toBe(1); // unseen: p = ½
  });

  it('tallies the outcomes of the window of steps before the step (the worked example)', () => {
    const kinds = new Map([['a', 'cancel'], ['b', 'return']]);
    const eps = [
      { step: 2, taskId: 'a', reward: 1 }, // outside the window
      { step: 3, taskId: 'a', reward: 1 },
      { step: 4, taskId: 'a', reward: 0 },
      { step: 4, taskId: 'b', reward: 0 },
      { step: 4, taskId: 'math-0/s4-0', reward: 1 }, // not a train task
      { step: 5, taskId: 'a', reward: 1 }, // the step itself
    ];
    expect(Object.fromEntries(kindTallies(eps, kinds, 5, 2))).toEqual({ cancel: { episodes: 2, passed: 1 }, return: { episodes: 1, passed: 0 } });
  });

  const kinded: Task[] = Array.from({ length: 400 }, (_, i) => ({ ...tasks[0]!, id: `train/${i}`, index: i, kind: ['cancel', 'return', 'status', 'other'][i % 4]! }));
  const c = curriculumSchema.parse({ tasksPerStep: 16, focus: { by: 'kind', floor: 0.1 } });
  const share = (tallies: Map<string, KindTally>): Record<string, number> => {
    const n: Record<string, number> = {};
    for (let s = 0; s < 200; s++) for (const d of drawStep(c, kinded, 7, s, tallies)) n[d.task.kind!] = (n[d.task.kind!] ?? 0) + 1 / (200 * 16);
    return n;
  };

  it('draws kinds in proportion to their focus weights, distinct tasks within a step, deterministically', () => {
    const tallies = new Map<string, KindTally>([
      ['cancel', { episodes: 30, passed: 15 }], // p = ½ → 1
      ['return', { episodes: 62, passed: 0 }], // p = 1/64 → floor 0.1
      ['status', { episodes: 30, passed: 23 }], // p = ¾ → 0.75
      ['other', { episodes: 62, passed: 62 }], // floor 0.1
    ]);
    const n = share(tallies);
    // expected shares: 1, 0.1, 0.75, 0.1 over 1.95
    expect(n.cancel!).toBeCloseTo(1 / 1.95, 1);
    expect(n.status!).toBeCloseTo(0.75 / 1.95, 1);
    expect(n.return!).toBeGreaterThan(0.02);
    expect(n.other!).toBeLessThan(0.1);
    const step3 = drawStep(c, kinded, 7, 3, tallies);
    expect(new Set(step3.map((d) => d.task.id)).size).toBe(16);
    expect(drawStep(c, kinded, 7, 3, tallies)).toEqual(step3);
    // no outcomes yet: every kind weighs 1, so the split's own mix
    for (const v of Object.values(share(new Map()))) expect(v).toBeCloseTo(0.25, 1);
  });

  it('is refused with asynchronous rollouts, whose draws run ahead of the outcomes', async () => {
    const { trainConfigSchema } = await import('../src/rl/config.ts');
    const r = trainConfigSchema.safeParse({ data: { dir: 'd' }, curriculum: { focus: { by: 'kind' } }, async: { enabled: true } });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('curriculum.focus.by');
  });
});
