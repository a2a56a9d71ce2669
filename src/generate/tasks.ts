import type { Intent as TaskIntent, Task } from '../dataset/task.ts';
import type { DomainName, WorldData } from '../domains/domain.ts';
import { AirlineView } from './airline/view.ts';
import { draftAirlineTask } from './airline/tasks.ts';
import type { Draft } from './draft.ts';
import { writeInstruction } from './instruction.ts';
import { Intent, type Request } from './intent.ts';
import { makePersona } from './persona.ts';
import { Rng } from './prng.ts';
import { draftRetailTask } from './retail/tasks.ts';
import { RetailView } from './retail/view.ts';

export interface GenerateTasksOptions {
  count: number;
  seed: string | number;
  split: string;
  /** Id of the world the tasks run in, recorded on each task. */
  world?: string;
}

/** Generator version recorded in dataset manifests; bump when output for a seed changes. */
export const GENERATOR_VERSION = '1.0.0';

/**
 * Tasks for one world, a pure function of (world, seed, count). Each draw picks a user and
 * request kind(s); a draw the user cannot support (say, no pending order) is skipped, so the
 * same seed always yields the same list.
 */
export function generateTasks(domain: DomainName, world: WorldData, opts: GenerateTasksOptions): Task[] {
  const rng = new Rng(`tasks/${domain}/${String(opts.seed)}/${opts.split}`);
  const draft = domain === 'retail' ? retailDrafter(world) : airlineDrafter(world);
  const tasks: Task[] = [];
  const limit = Math.max(100, opts.count * 50);
  for (let attempt = 0; tasks.length < opts.count && attempt < limit; attempt++) {
    const r = rng.fork(attempt);
    const d = draft(r);
    if (!d) continue;
    const intent = Intent.parse({
      domain,
      kind: d.kind,
      user: { name: d.name, identity: d.identity },
      requests: d.requests,
      confirms: true,
      refuses: refusals(d.requests),
      persona: makePersona(r),
    });
    const index = tasks.length;
    tasks.push({
      id: `${opts.split}/${index}`,
      domain,
      split: opts.split,
      index,
      userId: d.userId,
      instruction: writeInstruction(intent),
      actions: d.actions,
      outputs: d.outputs,
      intent: intent as unknown as TaskIntent,
      difficulty: d.difficulty,
      kind: d.kind,
      ...(opts.world ? { world: opts.world } : {}),
      nearMiss: d.nearMiss,
    });
  }
  if (tasks.length < opts.count) throw new Error(`could only generate ${tasks.length} of ${opts.count} ${domain} tasks: the world is too small`);
  return tasks;
}

function retailDrafter(world: WorldData): (rng: Rng) => Draft | null {
  const v = new RetailView(world);
  return (rng) => draftRetailTask(v, rng);
}

function airlineDrafter(world: WorldData): (rng: Rng) => Draft | null {
  const v = new AirlineView(world);
  return (rng) => draftAirlineTask(v, rng);
}

/** Alternatives the user turns down, so a simulator does not drift into them. */
function refusals(requests: Request[]): string[] {
  const out = new Set<string>();
  for (const r of requests) {
    if (r.type === 'cancel_order') out.add('modifying the order instead of cancelling it');
    if (r.type === 'return_items') out.add('an exchange instead of a refund');
    if (r.type === 'book') out.add('flights with a stop');
    if (r.type === 'cancel_reservation' && r.outcome !== 'performed') out.add('changing the flight instead of cancelling');
    if (r.type === 'other_users_order') out.add('asking your friend to call instead');
  }
  return [...out];
}
