import { describe, expect, it } from 'vitest';
import { readTaubenchTasks } from '../src/dataset/taubench.ts';
import type { Action, Task } from '../src/dataset/task.ts';
import { deepCopy, isDict, isList, type PyDict, type PyValue } from '../src/py/value.ts';
import { Sandbox } from '../src/sandbox/sandbox.ts';
import { Verifier, type RewardInfo } from '../src/verify/verifier.ts';
import { airlineTemplate, taubenchDir } from './support/airline-world.ts';

const tasks = readTaubenchTasks(taubenchDir(), 'airline', 'test');
const BOOKING_IDS = ['HATHAT', 'HATHAU', 'HATHAV'];

function play(verifier: Verifier, task: Task, actions: readonly Action[], messages: readonly string[]): RewardInfo {
  const sandbox = new Sandbox(verifier.template);
  try {
    for (const a of actions) sandbox.call(a.name, a.kwargs);
    return verifier.verify(sandbox, task, messages);
  } finally {
    sandbox.close();
  }
}

type Mutation = (kwargs: PyDict) => void;

/** Near-misses an agent could make, each applied to the first action it fits. */
const NEAR_MISSES: Record<string, { tools: string[]; mutate: Mutation }> = {
  'wrong cabin': {
    tools: ['book_reservation', 'update_reservation_flights'],
    mutate: (k) => k.set('cabin', k.get('cabin') === 'business' ? 'economy' : 'business'),
  },
  'wrong passenger': {
    tools: ['book_reservation', 'update_reservation_passengers'],
    mutate: (k) => {
      const passengers = k.get('passengers');
      const first = isList(passengers) ? passengers[0] : undefined;
      if (isDict(first)) first.set('first_name', 'Wrong');
    },
  },
  'one bag more': {
    tools: ['book_reservation', 'update_reservation_baggages'],
    mutate: (k) => k.set('total_baggages', (k.get('total_baggages') as number) + 1),
  },
};

/** The actions with one mutated copy, and the reservation key that action writes. */
function nearMiss(task: Task, tools: string[], mutate: Mutation): { actions: Action[]; keys: string[] } | null {
  const i = task.actions.findIndex((a) => tools.includes(a.name));
  if (i < 0) return null;
  const target = task.actions[i]!;
  const kwargs = deepCopy(target.kwargs);
  mutate(kwargs);
  const actions = task.actions.map((a, j) => (j === i ? { name: a.name, kwargs } : a));
  const id: PyValue | undefined = target.kwargs.get('reservation_id');
  return { actions, keys: typeof id === 'string' ? [id] : BOOKING_IDS };
}

describe('airline verifier on the τ-bench test tasks', () => {
  const verifier = new Verifier(airlineTemplate());

  it('has the 50 airline test tasks', () => {
    expect(tasks).toHaveLength(50);
  });

  it('scores every task 1 when the agent performs its ground-truth actions and says its outputs', () => {
    const failing = tasks.filter((t) => play(verifier, t, t.actions, t.outputs).reward !== 1).map((t) => t.id);
    expect(failing).toEqual([]);
  });

  it('scores 0 when a required output is never said, though the database matches', () => {
    const withOutputs = tasks.filter((t) => t.outputs.length > 0);
    expect(withOutputs.length).toBeGreaterThan(0);
    for (const t of withOutputs) {
      const info = play(verifier, t, t.actions, ['I could not find that.']);
      expect(info).toMatchObject({ reward: 0, dbMatch: true });
    }
  });

  for (const [label, { tools, mutate }] of Object.entries(NEAR_MISSES)) {
    it(`scores 0 for "${label}", with a diff naming the reservation`, () => {
      let tried = 0;
      for (const task of tasks) {
        const miss = nearMiss(task, tools, mutate);
        if (!miss) continue;
        tried++;
        const info = play(verifier, task, miss.actions, task.outputs);
        expect(info.reward, `${task.id} ${label}`).toBe(0);
        expect(info.dbMatch).toBe(false);
        const named = info.diff.filter((d) => d.table === 'reservations' && miss.keys.includes(d.key));
        expect(named.length, `${task.id} ${label}: ${JSON.stringify(info.diff.map((d) => d.key))}`).toBeGreaterThan(0);
      }
      expect(tried).toBeGreaterThan(0);
    });
  }
});
