import { Sandbox } from '../sandbox/sandbox.ts';
import type { VerifyMode } from '../verify/verifier.ts';
import type { EvalSource } from './run-eval.ts';

/** What a do-nothing agent scores on a task set: recorded in `results.json` and shown beside pass^1. */
export interface DoNothingFloor {
  /** pass^1 of an agent that changes nothing and says nothing: passed / tasks. */
  pass1: number;
  passed: number;
  tasks: number;
  verify: VerifyMode;
}

/**
 * The floor by the verifier itself: each task checked against its unchanged world with no agent
 * message, so tasks that need no write but require an output are not counted (the ground truth's
 * write count alone would count them). The `noop` agent with the scripted user reaches it.
 */
export function doNothingFloor(source: EvalSource, verify: VerifyMode = 'taubench'): DoNothingFloor | null {
  if (source.tasks.length === 0) return null;
  let passed = 0;
  for (const task of source.tasks) {
    const { template, verifier } = source.world(task);
    const sandbox = new Sandbox(template);
    try {
      passed += verifier.verify(sandbox, task, [], verify).reward;
    } finally {
      sandbox.close();
    }
  }
  return { pass1: passed / source.tasks.length, passed, tasks: source.tasks.length, verify };
}
