import type { Intent as TaskIntent, Task } from '../dataset/task.ts';
import type { DomainName, WorldData } from '../domains/domain.ts';
import { AirlineView } from './airline/view.ts';
import { AIRLINE_KINDS, draftAirlineTask } from './airline/tasks.ts';
import type { Draft, DraftOptions } from './draft.ts';
import { writeInstruction } from './instruction.ts';
import { Intent, type Request } from './intent.ts';
import { makePersona } from './persona.ts';
import { Rng } from './prng.ts';
import { draftRetailTask, RETAIL_KINDS } from './retail/tasks.ts';
import { RetailView } from './retail/view.ts';
import { draftStarterTask, STARTER_KINDS, StarterView } from './starter/tasks.ts';

export interface GenerateTasksOptions {
  count: number;
  seed: string | number;
  split: string;
  /** Id of the world the tasks run in, recorded on each task. */
  world?: string;
  /** Request kinds to draft (default: all of the domain's; an unknown kind is an error). */
  kinds?: readonly string[];
  /** Only single-request tasks (default: some tasks combine several requests). */
  singleRequest?: boolean;
}

/** The request kinds a domain's generator drafts, in its table order. */
export function taskKinds(domain: DomainName): string[] {
  const table = domain === 'retail' ? RETAIL_KINDS : domain === 'airline' ? AIRLINE_KINDS : STARTER_KINDS;
  return table.map(([k]) => k);
}

/** Checks a kind filter against the domain's kinds: an unknown or empty filter is a clear error. */
export function checkKinds(domain: DomainName, kinds: readonly string[]): void {
  const known = taskKinds(domain);
  const unknown = kinds.filter((k) => !known.includes(k));
  if (unknown.length) throw new Error(`unknown task kind${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} for domain ${domain} (kinds: ${known.join(', ')})`);
  if (kinds.length === 0) throw new Error(`no task kinds given for domain ${domain} (kinds: ${known.join(', ')})`);
}

/** Generator version recorded in dataset manifests; bump when output for a seed changes. */
export const GENERATOR_VERSION = '1.0.0';

/**
 * Tasks for one world, a pure function of (world, seed, count). Each draw picks a user and
 * request kind(s); a draw the user cannot support (say, no pending order) is skipped, so the
 * same seed always yields the same list.
 */
export function generateTasks(domain: DomainName, world: WorldData, opts: GenerateTasksOptions): Task[] {
  if (opts.kinds) checkKinds(domain, opts.kinds);
  const rng = new Rng(`tasks/${domain}/${String(opts.seed)}/${opts.split}`);
  const draftOpts: DraftOptions = { ...(opts.kinds && { kinds: new Set(opts.kinds) }), ...(opts.singleRequest && { singleRequest: true }) };
  const draft = drafter(domain, world, draftOpts);
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
      refuses: refusals(domain, d.requests),
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

function drafter(domain: DomainName, world: WorldData, opts: DraftOptions): (rng: Rng) => Draft | null {
  if (domain === 'retail') {
    const v = new RetailView(world);
    return (rng) => draftRetailTask(v, rng, opts);
  }
  if (domain === 'airline') {
    const v = new AirlineView(world);
    return (rng) => draftAirlineTask(v, rng, opts);
  }
  const v = new StarterView(world);
  return (rng) => draftStarterTask(v, rng, opts);
}

/** Alternatives the user turns down, so a simulator does not drift into them. */
function refusals(domain: DomainName, requests: Request[]): string[] {
  const out = new Set<string>();
  for (const r of requests) {
    // The starter store cannot modify orders: nothing to drift into there.
    if (r.type === 'cancel_order' && domain !== 'starter') out.add('modifying the order instead of cancelling it');
    if (r.type === 'return_items') out.add('an exchange instead of a refund');
    if (r.type === 'book') out.add('flights with a stop');
    if (r.type === 'cancel_reservation' && r.outcome !== 'performed') out.add('changing the flight instead of cancelling');
    if (r.type === 'other_users_order') out.add('asking your friend to call instead');
  }
  return [...out];
}
