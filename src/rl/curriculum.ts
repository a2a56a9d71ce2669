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
  focus: z
    .object({
      by: z
        .enum(['none', 'kind'])
        .default('none')
        .describe("none: tool tasks in epoch order. kind: each tool slot draws a task kind (tasks' `kind`) in proportion to its share of the split × 4p(1−p), p its success over the last `window` steps, so kinds the policy always or never solves, whose groups agree and carry no outcome signal, give way to kinds where they disagree"),
      window: z.number().int().positive().default(4).describe('steps of outcomes a kind\'s success is estimated from'),
      floor: z.number().min(0).max(1).default(0.1).describe('least weight of a kind (p = ½ weighs 1): no kind stops being drawn, so one that starts to be solved, or to fail, is noticed'),
    })
    .strict()
    .prefault({}),
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
export function drawStep(c: Curriculum, tasks: readonly Task[], seed: number, step: number, tallies?: ReadonlyMap<string, KindTally>): Draw[] {
  const nMath = tasks.length === 0 ? c.tasksPerStep : Math.round(mathRatio(c, step) * c.tasksPerStep);
  const nTool = c.tasksPerStep - nMath;
  const draws: Draw[] = c.focus.by === 'kind' && tasks.length > 0 ? drawByKind(c, tasks, seed, step, nTool, tallies ?? new Map()) : drawInOrder(c, tasks, seed, step, nTool);
  const rng = new Rng(`curriculum/${seed}/math/${step}`);
  for (let i = 0; i < nMath; i++) {
    const level = rng.pick(c.math.levels);
    const [task] = generateMathTasks(`${seed}/${step}/${i}`, level, 1);
    draws.push({ kind: 'math', task: { ...task!, id: `math-${level}/s${step}-${i}` } });
  }
  return draws;
}

function drawInOrder(c: Curriculum, tasks: readonly Task[], seed: number, step: number, nTool: number): Draw[] {
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
  return draws;
}

/** A task's kind for `focus.by: 'kind'` (tasks without one, such as τ-bench's, share one kind). */
export const kindOf = (task: Task): string => task.kind ?? '';

/** Outcomes of one task kind's episodes over the focus window. */
export interface KindTally {
  episodes: number;
  passed: number;
}

/**
 * A kind's focus weight: 4p(1−p), the variance of its pass/fail outcome scaled so p = ½ weighs
 * 1, with p = (passed + 1) / (episodes + 2) (an unseen kind counts as p = ½), never below `floor`.
 *
 * Worked example (floor 0.1): 8 of 16 passed → p = 9/18 = 0.5 → 1; 23 of 30 → p = 24/32 = 0.75 →
 * 0.75; 0 of 14 → p = 1/16 → 4 · 1/16 · 15/16 = 0.234; 126 of 126 → p = 127/128 → 0.031 → 0.1.
 */
export function focusWeight(t: KindTally | undefined, floor: number): number {
  const p = ((t?.passed ?? 0) + 1) / ((t?.episodes ?? 0) + 2);
  return Math.max(floor, 4 * p * (1 - p));
}

/**
 * Tool slots drawn by kind: slot by slot, a kind with probability ∝ (its tasks in the split) ×
 * focusWeight, then one of its tasks not yet drawn this step, uniformly. A pure function of
 * (seed, step, tallies): the tallies come from the episodes of earlier steps, which a resumed
 * run reads back from its episode log.
 */
function drawByKind(c: Curriculum, tasks: readonly Task[], seed: number, step: number, nTool: number, tallies: ReadonlyMap<string, KindTally>): Draw[] {
  const byKind = new Map<string, Task[]>();
  for (const t of tasks) {
    const k = kindOf(t);
    const list = byKind.get(k);
    if (list) list.push(t);
    else byKind.set(k, [t]);
  }
  const kinds = [...byKind.keys()].sort();
  const left = new Map(kinds.map((k) => [k, [...byKind.get(k)!]]));
  const rng = new Rng(`curriculum/${seed}/focus/${step}`);
  const draws: Draw[] = [];
  for (let i = 0; i < nTool; i++) {
    const open = kinds.filter((k) => left.get(k)!.length > 0);
    if (open.length === 0) break;
    const w_K = open.map((k) => byKind.get(k)!.length * focusWeight(tallies.get(k), c.focus.floor));
    let r = rng.float() * w_K.reduce((a, b) => a + b, 0);
    let ki = 0;
    while (ki < open.length - 1 && (r -= w_K[ki]!) >= 0) ki++;
    const pool = left.get(open[ki]!)!;
    const [task] = pool.splice(rng.int(0, pool.length - 1), 1);
    draws.push({ kind: 'tool', task: task! });
  }
  return draws;
}

/**
 * The focus tallies for `step`: outcomes of the tool-task episodes of the `window` steps before it.
 * Worked example: window 2, step 5 counts the episodes of steps 3 and 4.
 */
export function kindTallies(episodes: readonly { step?: number; taskId: string; reward: number }[], kindById: ReadonlyMap<string, string>, step: number, window: number): Map<string, KindTally> {
  const out = new Map<string, KindTally>();
  for (const e of episodes) {
    const k = kindById.get(e.taskId);
    if (k === undefined || e.step === undefined || e.step >= step || e.step < step - window) continue;
    const t = out.get(k) ?? { episodes: 0, passed: 0 };
    t.episodes += 1;
    t.passed += e.reward > 0 ? 1 : 0;
    out.set(k, t);
  }
  return out;
}

function toolSlotsBefore(c: Curriculum, step: number): number {
  let n = 0;
  for (let s = 0; s < step; s++) n += c.tasksPerStep - Math.round(mathRatio(c, s) * c.tasksPerStep);
  return n;
}
