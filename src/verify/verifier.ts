import type { Task } from '../dataset/task.ts';
import { tauRepr } from '../py/dumps.ts';
import { parsePy } from '../py/parse.ts';
import { isDict } from '../py/value.ts';
import { Sandbox } from '../sandbox/sandbox.ts';
import type { WorldTemplate } from '../sandbox/template.ts';

/** A record whose final value differs between the agent's world and the ground truth's. */
export interface RecordDiff {
  table: string;
  key: string;
  /**
   * The record as the ground truth leaves it, as Python's `json.dumps` writes it (int vs float
   * visible), or null when the ground truth leaves it as seeded. Compared as τ-bench's hash does.
   */
  expected: string | null;
  /** The record as the agent left it (null: left as seeded). */
  actual: string | null;
  /** Top-level fields whose values differ between the two (what to look at first). */
  fields: string[];
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
  /**
   * Writes that succeeded without the user's explicit yes just before them, in a domain whose
   * episodes require one (`Domain.confirmWrites`); any makes the reward 0. Set by the episode runner.
   */
  unconfirmed?: UnconfirmedWrite[];
}

/** A write the agent made without the user's confirmation: its turn and tool. */
export interface UnconfirmedWrite {
  turn: number;
  name: string;
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

/** A changed record: τ-bench's typed form (what equality means) and its `json.dumps` text (what people read). */
interface Changed {
  typed: string;
  text: string;
}

function changes(sandbox: Sandbox): Map<string, Changed> {
  const out = new Map<string, Changed>();
  for (const [id, typed] of sandbox.world.typedChanges()) {
    const sep = id.indexOf('\0');
    out.set(id, { typed, text: sandbox.world.recordText(id.slice(0, sep), id.slice(sep + 1))! });
  }
  return out;
}

/** Top-level keys whose values differ (τ-bench's typed equality); all keys when one side is absent. */
function differingFields(a: string | null, b: string | null): string[] {
  const pa = a === null ? undefined : parsePy(a);
  const pb = b === null ? undefined : parsePy(b);
  if (!isDict(pa) || !isDict(pb)) return [...new Set([...(isDict(pa) ? pa.keys() : []), ...(isDict(pb) ? pb.keys() : [])])];
  const out: string[] = [];
  for (const k of new Set([...pa.keys(), ...pb.keys()])) {
    const x = pa.get(k);
    const y = pb.get(k);
    if (x === undefined || y === undefined || tauRepr(x) !== tauRepr(y)) out.push(k);
  }
  return out;
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
  private readonly truth = new Map<string, Map<string, Changed>>();

  constructor(readonly template: WorldTemplate) {}

  /** What the ground-truth actions change (table\0key → typed form and text), cached per task. */
  groundTruth(task: Task): Map<string, Changed> {
    let t = this.truth.get(task.id);
    if (!t) {
      const sandbox = new Sandbox(this.template);
      try {
        for (const a of rewardActions(task)) sandbox.call(a.name, a.kwargs);
        t = changes(sandbox);
      } finally {
        sandbox.close();
      }
      this.truth.set(task.id, t);
    }
    return t;
  }

  verify(sandbox: Sandbox, task: Task, agentMessages: readonly string[], mode: VerifyMode = 'taubench'): RewardInfo {
    const expected = this.groundTruth(task);
    const actual = changes(sandbox);
    const diff: RecordDiff[] = [];
    for (const id of new Set([...expected.keys(), ...actual.keys()])) {
      const e = expected.get(id);
      const a = actual.get(id);
      if (e?.typed === a?.typed) continue;
      const sep = id.indexOf('\0');
      const table = id.slice(0, sep);
      const key = id.slice(sep + 1);
      const seeded = this.template.originalText(table, key) ?? null;
      const expectedText = e?.text ?? null;
      const actualText = a?.text ?? null;
      diff.push({ table, key, expected: expectedText, actual: actualText, fields: differingFields(expectedText ?? seeded, actualText ?? seeded) });
    }
    const dbMatch = diff.length === 0;
    const outputs =
      mode === 'taubench' ? task.outputs.map((output) => ({ output, found: outputFound(output, agentMessages) })) : [];
    const reward = dbMatch && outputs.every((o) => o.found) ? 1 : 0;
    return { reward, dbMatch, diff, outputs, mode };
  }
}
