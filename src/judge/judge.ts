import type { Task } from '../dataset/task.ts';
import type { JudgeRecord, Trajectory } from '../episode/trajectory.ts';

/** What every judge sees: the task (instruction, ground truth, outputs), the policy, the episode. */
export interface JudgeInput {
  task: Task;
  policy: string;
  /** The trajectory; judges read messages, steps and the verifier's diff — never `injection`. */
  trajectory: Trajectory;
}

/**
 * A turn-level adjudicator: one score in {−1, 0, +1} per agent turn, at most one −1 (the single
 * most significant mistake), a one-line rationale each. Never throws for a bad judge reply:
 * it returns `status: 'judge_failed'` with the raw output kept.
 */
export interface Judge {
  readonly name: string;
  readonly promptVersion?: string;
  judge(input: JudgeInput, signal?: AbortSignal): Promise<JudgeRecord>;
}

/** The trajectory as a judge may see it: the flawed agent's injection record is removed. */
export function judgeView(t: Trajectory): Trajectory {
  const { injection: _hidden, judge: _old, ...rest } = t;
  return rest;
}
