import { dumps } from '../py/dumps.ts';
import { parsePy } from '../py/parse.ts';
import { dict, fromJs, isDict, isList, toJs, type PyDict, type PyValue } from '../py/value.ts';
import type { Action, Intent, Task } from './task.ts';

/**
 * One task as a JSONL line: τ-bench's task fields (`user_id`, `instruction`, `actions`,
 * `outputs`, `annotator`) plus ours. Written with Python's `json.dumps` rules and read back with
 * the Python-value parser, so kwargs keep int vs float and key order.
 */
export function taskToLine(t: Task): string {
  const fields: [string, PyValue][] = [
    ['id', t.id],
    ['user_id', t.userId],
    ['instruction', t.instruction],
    ['actions', t.actions.map(actionValue)],
    ['outputs', [...t.outputs]],
  ];
  if (t.annotator !== undefined) fields.push(['annotator', t.annotator]);
  if (t.world !== undefined) fields.push(['world', t.world]);
  if (t.kind !== undefined) fields.push(['kind', t.kind]);
  if (t.difficulty !== undefined) fields.push(['difficulty', t.difficulty]);
  if (t.intent !== undefined) fields.push(['intent', fromJs(t.intent)]);
  if (t.nearMiss !== undefined) fields.push(['near_miss', t.nearMiss.map(actionValue)]);
  return dumps(dict(fields));
}

function actionValue(a: Action): PyDict {
  return dict([['name', a.name], ['kwargs', a.kwargs]]);
}

function actions(v: PyValue | undefined, where: string): Action[] {
  if (!isList(v)) throw new Error(`${where}: actions must be a list`);
  return v.map((a) => {
    if (!isDict(a) || typeof a.get('name') !== 'string') throw new Error(`${where}: malformed action`);
    const kwargs = a.get('kwargs');
    return { name: a.get('name') as string, kwargs: isDict(kwargs) ? kwargs : new Map() };
  });
}

export function taskFromLine(line: string, domain: string, split: string, index: number): Task {
  const where = `${split}/${index}`;
  const v = parsePy(line);
  if (!isDict(v)) throw new Error(`${where}: task is not an object`);
  const s = (k: string): string => {
    const x = v.get(k);
    if (typeof x !== 'string') throw new Error(`${where}: '${k}' must be a string`);
    return x;
  };
  const outputs = v.get('outputs');
  const task: Task = {
    id: typeof v.get('id') === 'string' ? s('id') : where,
    domain,
    split,
    index,
    userId: s('user_id'),
    instruction: s('instruction'),
    actions: actions(v.get('actions'), where),
    outputs: isList(outputs) ? outputs.filter((o): o is string => typeof o === 'string') : [],
  };
  if (typeof v.get('annotator') === 'string') task.annotator = s('annotator');
  if (typeof v.get('world') === 'string') task.world = s('world');
  if (typeof v.get('kind') === 'string') task.kind = s('kind');
  const difficulty = v.get('difficulty');
  if (typeof difficulty === 'number') task.difficulty = difficulty;
  const intent = v.get('intent');
  if (isDict(intent)) task.intent = toJs(intent) as Intent;
  if (v.has('near_miss')) task.nearMiss = actions(v.get('near_miss'), where);
  return task;
}
