import { describe, expect, it } from 'vitest';
import type { Task } from '../src/dataset/task.ts';
import { curriculumSchema, drawStep, mathRatio } from '../src/rl/curriculum.ts';

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
