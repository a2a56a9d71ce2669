import type { Action, Task } from '../dataset/task.ts';
import { getDomain } from '../domains/registry.ts';

/** The task's ground-truth calls to its domain's write tools (transfers and reads excluded). */
export function writeActions(task: Task): Action[] {
  const writes = new Set(getDomain(task.domain).tools.filter((t) => t.kind === 'write').map((t) => t.name));
  return task.actions.filter((a) => writes.has(a.name));
}

/**
 * Whether the task's ground truth writes to the database. A task that needs no write (a question,
 * a refusal, a transfer) is passed by an agent that does nothing but talk, so a pass^1 over the
 * tasks that need a write shows what an agent does beyond that do-nothing floor.
 */
export function needsWrite(task: Task): boolean {
  return writeActions(task).length > 0;
}
