import type { Task } from '../dataset/task.ts';
import { dumps } from '../py/dumps.ts';
import type { Trajectory } from './trajectory.ts';

/** τ-bench's `EnvRunResult` record (its results JSON is a list of these). */
export interface TaubenchResult {
  task_id: number;
  reward: number;
  info: Record<string, unknown>;
  traj: unknown[];
  trial: number;
}

/** Exports a trajectory in τ-bench's result shape, so its analysis scripts read our runs. */
export function toTaubenchResult(t: Trajectory, task?: Task): TaubenchResult {
  const info: Record<string, unknown> = {
    reward_info: t.rewardInfo
      ? {
          reward: t.reward,
          info: t.rewardInfo.outputs.length > 0 ? { outputs: Object.fromEntries(t.rewardInfo.outputs.map((o) => [o.output, o.found])) } : { r_actions: t.rewardInfo.dbMatch },
          actions: task?.actions.map((a) => ({ name: a.name, kwargs: JSON.parse(dumps(a.kwargs)) as unknown })) ?? [],
        }
      : null,
    user_cost: t.usage.user.costUsd,
    termination: t.termination,
  };
  if (task) info.task = { user_id: task.userId, instruction: task.instruction, outputs: task.outputs };
  if (t.error) info.error = t.error;
  return { task_id: t.taskIndex, reward: t.reward, info, traj: t.messages, trial: t.trial };
}
