import { z } from 'zod';
import type { Task } from '../dataset/task.ts';
import { Rng } from '../generate/prng.ts';
import { generateMathTasks, MATH_LEVELS, type MathTask } from '../math/problems.ts';

/**
 * What each RL step trains on: tool-use tasks of the dataset's train split mixed with math
 * problems (the paper's curriculum mixes in math). The draws are a pure function of
 * (seed, step), so a resumed run sees exactly the tasks an uninterrupted one would, with no
 * sampler state to save.
 */
export const curriculumSchema = z.object({
  tasksPerStep: z.number().int().positive().default(8).describe('distinct tasks per step (each gets a group of rollouts)'),
  math: z
    .object({
      ratio: z.number().min(0).max(1).default(0).describe('share of the step\'s tasks that are math problems after the warm-up'),
      levels: z.array(z.number().int().min(0).max(MATH_LEVELS - 1)).min(1).default([0]).describe('math levels drawn from (0: one-step single-digit arithmetic … 3: word problems)'),
      warmupSteps: z.number().int().nonnegative().default(0).describe('steps at the start that use warmupRatio instead of ratio'),
      warmupRatio: z.number().min(0).max(1).default(0).describe('math share during the warm-up stage'),
    })
    .default({ ratio: 0, levels: [0], warmupSteps: 0, warmupRatio: 0 }),
});
export type Curriculum = z.infer<typeof curriculumSchema>;

export type Draw = { kind: 'tool'; task: Task } | { kind: 'math'; task: MathTask };

/** The math share at a step. */
export function mathRatio(c: Curriculum, step: number): number {
  return step < c.math.warmupSteps ? c.math.warmupRatio : c.math.ratio;
}

/** A seeded permutation of 0..n−1 (Fisher–Yates). */
export function permutation(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [p[i], p[j]] = [p[j]!, p[i]!];
  }
  return p;
}

/**
 * The step's draws. Tool tasks walk through the train split in epochs, each epoch in a fresh
 * seeded order, so every task is seen once per epoch; math problems are generated per
 * (seed, step, slot).
 *
 * Worked example: 10 tasks, tasksPerStep 4, ratio 0.25 → 1 math and 3 tool tasks per step;
 * step 0 takes positions 0–2 of epoch 0's order, step 3 takes positions 9, then 0–1 of epoch 1.
 */
export function drawStep(c: Curriculum, tasks: readonly Task[], seed: number, step: number): Draw[] {
  const nMath = tasks.length === 0 ? c.tasksPerStep : Math.round(mathRatio(c, step) * c.tasksPerStep);
  const nTool = c.tasksPerStep - nMath;
  const draws: Draw[] = [];
  const orders = new Map<number, number[]>();
  const orderOf = (epoch: number): number[] => {
    let o = orders.get(epoch);
    if (!o) orders.set(epoch, (o = permutation(tasks.length, new Rng(`curriculum/${seed}/epoch/${epoch}`))));
    return o;
  };
  // Tool positions count only tool slots, so changing the math share later never skips tasks.
  const toolBefore = toolSlotsBefore(c, step);
  for (let i = 0; i < nTool; i++) {
    const pos = toolBefore + i;
    const epoch = Math.floor(pos / tasks.length);
    draws.push({ kind: 'tool', task: tasks[orderOf(epoch)[pos % tasks.length]!]! });
  }
  const rng = new Rng(`curriculum/${seed}/math/${step}`);
  for (let i = 0; i < nMath; i++) {
    const level = rng.pick(c.math.levels);
    const [task] = generateMathTasks(`${seed}/${step}/${i}`, level, 1);
    draws.push({ kind: 'math', task: { ...task!, id: `math-${level}/s${step}-${i}` } });
  }
  return draws;
}

function toolSlotsBefore(c: Curriculum, step: number): number {
  let n = 0;
  for (let s = 0; s < step; s++) n += c.tasksPerStep - Math.round(mathRatio(c, s) * c.tasksPerStep);
  return n;
}
