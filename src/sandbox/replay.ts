import { dumpsCompact } from '../py/dumps.ts';
import { isDict, isList, type PyDict, type PyValue } from '../py/value.ts';
import { Sandbox } from './sandbox.ts';
import type { WorldTemplate } from './template.ts';

export interface ReplayResult {
  observations: string[];
  stateHash: string;
  changed: PyDict;
}

/** Runs steps (`[{name, kwargs}]`) in order on a fresh world; later steps see earlier writes. */
export function replaySteps(template: WorldTemplate, steps: readonly { name: string; kwargs: PyDict }[]): ReplayResult {
  const sandbox = new Sandbox(template);
  try {
    const observations = steps.map((s) => sandbox.call(s.name, s.kwargs));
    const changed: PyDict = new Map();
    for (const [table, records] of sandbox.changedRecords()) changed.set(table, new Map(records));
    return { observations, stateHash: sandbox.stateHash(), changed };
  } finally {
    sandbox.close();
  }
}

/** Reads the steps of one replay line (`{"steps":[{"name","kwargs"}, …]}`), with precise errors. */
export function stepsOfLine(line: PyValue): { name: string; kwargs: PyDict }[] {
  if (!isDict(line)) throw new Error('each line must be a JSON object with a "steps" list');
  const steps = line.get('steps');
  if (!isList(steps)) throw new Error('"steps" must be a list');
  return steps.map((s, i) => {
    if (!isDict(s)) throw new Error(`step ${i} must be an object`);
    const name = s.get('name');
    const kwargs = s.get('kwargs') ?? new Map();
    if (typeof name !== 'string') throw new Error(`step ${i}: "name" must be a string`);
    if (!isDict(kwargs)) throw new Error(`step ${i}: "kwargs" must be an object`);
    return { name, kwargs };
  });
}

/** One output line: `{"observations":[…],"state_hash":"…","changed":{…}}`. */
export function replayLine(r: ReplayResult): string {
  const out: PyDict = new Map<string, PyValue>([
    ['observations', r.observations],
    ['state_hash', r.stateHash],
    ['changed', r.changed],
  ]);
  return dumpsCompact(out);
}
