import type { Dataset } from '../dataset/load.ts';
import { FlawedAgent } from '../agents/flawed.ts';
import type { Agent } from '../agents/agent.ts';
import type { WorldTemplate } from '../sandbox/template.ts';
import { Verifier } from '../verify/verifier.ts';
import type { EvalSource } from './run-eval.ts';

/** The tasks of one split of a dataset (optionally a subset by index), with one verifier per world. */
export function datasetSource(ds: Dataset, split: string, indices?: readonly number[]): EvalSource {
  const all = ds.tasks.get(split);
  if (!all) throw new Error(`dataset ${ds.dir} has no split '${split}' (splits: ${[...ds.tasks.keys()].join(', ')})`);
  const tasks = indices ? indices.map((i) => all[i]!) : all;
  const verifiers = new Map<WorldTemplate, Verifier>();
  return {
    policy: ds.policy,
    tools: ds.tools,
    tasks,
    world(task) {
      const template = ds.worldOf(task);
      let verifier = verifiers.get(template);
      if (!verifier) verifiers.set(template, (verifier = new Verifier(template)));
      return { template, verifier };
    },
  };
}

/**
 * The `flawed` test agent with the record ids of the source's world, so its `wrong_user`
 * injection can act on another user's record (the registry's plain `flawed` cannot see a world).
 * All tasks of a split share one world.
 */
export function flawedAgentFor(source: EvalSource): Agent {
  const first = source.tasks[0];
  if (!first) return new FlawedAgent();
  const { template } = source.world(first);
  return new FlawedAgent({ records: { keys: (table) => template.tables.get(table)?.keys ?? [] } });
}
