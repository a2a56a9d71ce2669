import { describe, expect, it } from 'vitest';
import type { Draw } from '../src/rl/curriculum.ts';
import { partitionStale, RolloutStream, type StreamDraw } from '../src/rl/rollout-stream.ts';
import type { Group } from '../src/rl/rollouts.ts';

const draw = (id: string): Draw => ({ kind: 'math', task: { id, level: 0, kind: 'add', question: '1+1', answer: '2', solution: '#### 2' } });
const nameOf = (d: StreamDraw): string => `${d.draw.task.id}${"′".repeat(d.attempt)}`;

/** A stream whose groups finish when the test says so; `launched` lists the draws in launch order. */
function harness(tasksPerStep: number, maxOffPolicySteps: number, end = 6) {
  const steps = ['AB', 'CD', 'EF', 'GH', 'IJ', 'KL'];
  const launched: string[] = [];
  const finish = new Map<string, (g: Group) => void>();
  const stream = new RolloutStream({
    tasksPerStep, maxOffPolicySteps, start: 0, end,
    drawsFor: (j) => [...steps[j]!].map(draw),
    runGroup: (d, signal) =>
      new Promise<Group>((resolve, reject) => {
        launched.push(nameOf(d));
        finish.set(nameOf(d), (g) => resolve(g));
        signal.addEventListener('abort', () => reject(signal.reason as Error));
      }),
  });
  const complete = async (...names: string[]): Promise<void> => {
    for (const n of names) {
      const f = finish.get(n);
      if (!f) throw new Error(`${n} was not launched`);
      f({ draw: draw(n), rollouts: [] });
      await new Promise((r) => setImmediate(r)); // let its completion land in order
    }
  };
  return { stream, launched, complete };
}

describe('partitionStale', () => {
  it('keeps groups at most maxOffPolicySteps behind the policy', () => {
    expect(partitionStale([3, 1, 2], 3, 1)).toEqual({ fresh: [0, 2], stale: [1] });
    expect(partitionStale([3, 1, 2], 3, 0)).toEqual({ fresh: [0], stale: [1, 2] });
    expect(partitionStale([3, 1, 2], 3, 2)).toEqual({ fresh: [0, 1, 2], stale: [] });
  });
  it('rejects a bad bound and a group from the future', () => {
    expect(() => partitionStale([0], 0, -1)).toThrow(/maxOffPolicySteps must be an integer ≥ 0/);
    expect(() => partitionStale([4], 3, 1)).toThrow(/group 0 has version 4, newer than the policy \(3\)/);
  });
});

describe('RolloutStream (the worked example of rollout-stream.ts)', () => {
  it('runs the next step while one trains, discards a group past the bound and requeues its draw', async () => {
    const { stream, launched, complete } = harness(2, 1);
    expect(launched).toEqual(['A', 'B', 'C', 'D']); // step 0 and, ahead, step 1
    await complete('A', 'C');
    const s0 = await stream.take();
    expect(s0.groups.map((g) => [g.source.draw.task.id, g.version])).toEqual([['A', 0], ['C', 0]]);
    stream.advance(); // the update of step 0 is done: v1
    expect(launched).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    await complete('D', 'E');
    const s1 = await stream.take();
    expect(s1.groups.map((g) => [g.source.draw.task.id, g.version])).toEqual([['D', 0], ['E', 1]]);
    expect(s1.stale).toEqual([]);
    stream.advance(); // v2
    await complete('B'); // launched at v0: 2 updates old
    const pending = stream.take();
    await new Promise((r) => setImmediate(r));
    expect(launched).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'B′']); // B requeued at the front, budget refunded
    await complete('F', 'G');
    const s2 = await pending;
    expect(s2.groups.map((g) => g.source.draw.task.id)).toEqual(['F', 'G']);
    expect(s2.stale.map((g) => [g.source.draw.task.id, g.version])).toEqual([['B', 0]]);
    await stream.close();
  });

  it('with maxOffPolicySteps 0 launches only the current step (synchronous)', async () => {
    const { stream, launched, complete } = harness(2, 0);
    expect(launched).toEqual(['A', 'B']);
    await complete('B', 'A');
    expect((await stream.take()).groups.map((g) => g.source.draw.task.id)).toEqual(['B', 'A']);
    expect(launched).toEqual(['A', 'B']);
    stream.advance();
    expect(launched).toEqual(['A', 'B', 'C', 'D']);
    await stream.close();
  });

  it('launches nothing for steps past the end of the run', async () => {
    const { stream, launched, complete } = harness(2, 1, 2);
    expect(launched).toEqual(['A', 'B', 'C', 'D']);
    await complete('A', 'B');
    await stream.take();
    stream.advance(); // v1: step 2 would be next, but the run ends after step 1
    expect(launched).toEqual(['A', 'B', 'C', 'D']);
    await stream.close();
  });

  it('fails the take when a group fails, and stops on abort', async () => {
    const failing = new RolloutStream({
      tasksPerStep: 1, maxOffPolicySteps: 1, start: 0, end: 3, drawsFor: () => [draw('X')],
      runGroup: () => Promise.reject(new Error('rollout of X (sample 0) failed: sampler down')),
    });
    await expect(failing.take()).rejects.toThrow(/sampler down/);
    await failing.close();
    const ac = new AbortController();
    const stream = new RolloutStream({
      tasksPerStep: 1, maxOffPolicySteps: 1, start: 0, end: 3, drawsFor: () => [draw('Y')], signal: ac.signal,
      runGroup: (_, signal) => new Promise<Group>((_r, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error))),
    });
    const t = stream.take();
    ac.abort(new Error('stopped by the user'));
    await expect(t).rejects.toThrow(/stopped by the user/);
    await stream.close();
  });
});
