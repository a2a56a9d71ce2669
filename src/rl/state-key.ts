import { isDomainName, getDomain } from '../domains/registry.ts';
import type { Trajectory } from '../episode/trajectory.ts';

/**
 * GiGPO's anchor states for multi-turn dialogue (design.md §6): free text rarely repeats, so a
 * turn's state is keyed on what the agent has looked up and what it has changed before that
 * turn — the set of successful reads (order-free) and the sequence of successful writes. Tools
 * are deterministic, so the writes determine the world-state hash; two rollouts that read the
 * same records and made the same changes stand in the same state, whatever they said.
 *
 * Example: turns [get_user(u1), get_order(#4), reply, cancel_order(#4)] → keys
 *   K0 = {r:[], w:[]}, K1 = {r:[get_user(u1)], w:[]}, K2 = K3 = {r:[get_order(#4), get_user(u1)], w:[]}.
 */
export function stateKeys(t: Trajectory): string[] {
  const writes = isDomainName(t.domain) ? new Set(getDomain(t.domain).tools.filter((x) => x.kind === 'write').map((x) => x.name)) : new Set<string>();
  const reads = new Set<string>();
  const done: string[] = [];
  const keys: string[] = [];
  for (const step of t.steps) {
    keys.push(JSON.stringify({ r: [...reads].sort(), w: done }));
    const a = step.action;
    if (a.type !== 'tool' || step.observation === undefined || /^(Error|Unknown action)/.test(step.observation)) continue;
    const call = `${a.name}(${a.arguments})`;
    if (writes.has(a.name)) done.push(call);
    else reads.add(call);
  }
  return keys;
}
