import type { Dataset } from '../dataset/load.ts';
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
