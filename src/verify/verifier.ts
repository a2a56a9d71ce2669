import type { Task } from '../dataset/task.ts';
import { Sandbox } from '../sandbox/sandbox.ts';
import type { WorldTemplate } from '../sandbox/template.ts';

/** A record whose final value differs between the agent's world and the ground truth's. */
export interface RecordDiff {
  table: string;
  key: string;
  /** The record as the ground truth leaves it, τ-bench's typed form (null: left as seeded). */
  expected: string | null;
  /** The record as the agent left it (null: left as seeded). */
  actual: string | null;
}

export interface OutputCheck {
  output: string;
  found: boolean;
}

/** Why a verdict is what it is: enough to show a user which records or outputs were wrong. */
export interface RewardInfo {
  reward: 0 | 1;
  /** Whether the final database equals the ground-truth replay's (τ-bench's hash comparison). */
  dbMatch: boolean;
  /** Records that differ (empty when dbMatch). */
  diff: RecordDiff[];
  /** Per required output; empty when the task has none or in DB-only mode. */
  outputs: OutputCheck[];
  mode: VerifyMode;
}

/**
 * `taubench`: τ-bench's reward (database equality and required outputs).
 * `db`: the paper's rule-based verifier of database writes alone.
 */
export type VerifyMode = 'taubench' | 'db';

/** Ground-truth actions that count for the reward (transfers never change data). */
export function rewardActions(task: Task): Task['actions'] {
  return task.actions.filter((a) => a.name !== 'transfer_to_human_agents');
}

/** τ-bench's output rule: lowercased expected text inside a lowercased agent message without commas. */
export function outputFound(expected: string, agentMessages: readonly string[]): boolean {
  const want = expected.toLowerCase();
  return agentMessages.some((m) => m.toLowerCase().replaceAll(',', '').includes(want));
}

/**
 * Scores a final world against a task. The ground truth's end state is replayed once per task
 * on a fresh world and cached as its typed record changes, so verifying an episode costs only
 * the records either side wrote (no full-database hash).
 */
export class Verifier {
  private readonly truth = new Map<string, Map<string, string>>();

  constructor(readonly template: WorldTemplate) {}

  /** The typed changes the ground-truth actions make (table\0key → typed form), cached. */
  groundTruth(task: Task): Map<string, string> {
    let t = this.truth.get(task.id);
    if (!t) {
      const sandbox = new Sandbox(this.template);
      try {
        for (const a of rewardActions(task)) sandbox.call(a.name, a.kwargs);
        t = sandbox.world.typedChanges();
      } finally {
        sandbox.close();
      }
      this.truth.set(task.id, t);
    }
    return t;
  }

  verify(sandbox: Sandbox, task: Task, agentMessages: readonly string[], mode: VerifyMode = 'taubench'): RewardInfo {
    const expected = this.groundTruth(task);
    const actual = sandbox.world.typedChanges();
    const diff: RecordDiff[] = [];
    for (const id of new Set([...expected.keys(), ...actual.keys()])) {
      const e = expected.get(id) ?? null;
      const a = actual.get(id) ?? null;
      if (e === a) continue;
      const sep = id.indexOf('\0');
      diff.push({ table: id.slice(0, sep), key: id.slice(sep + 1), expected: e, actual: a });
    }
    const dbMatch = diff.length === 0;
    const outputs =
      mode === 'taubench' ? task.outputs.map((output) => ({ output, found: outputFound(output, agentMessages) })) : [];
    const reward = dbMatch && outputs.every((o) => o.found) ? 1 : 0;
    return { reward, dbMatch, diff, outputs, mode };
  }
}
