/**
 * Asynchronous rollouts (design §6; AReaL's bounded staleness, prime-rl's async level of 1):
 * groups are sampled while the trainer updates, each tagged with the policy **version** (completed
 * updates) current when it was launched. T = tasks per step, M = `async.maxOffPolicySteps`.
 *
 *   launch budget   at version v, (v + M + 1)·T groups may have been launched in all (discarded
 *                   ones refunded): while step v trains, the groups of up to M further steps run.
 *   take            the trainer at version v takes the first T groups to complete whose staleness
 *                   v − version is ≤ M (`partitionStale`).
 *   requeue         a group that completes too late (a long-tail episode passed over by faster
 *                   groups) is discarded; its draw goes back to the front of the queue and is
 *                   sampled again from the current weights.
 *
 * Worked example, T = 2, M = 1: at v0 groups A B C D launch (budget 4). Step 0 takes the first two
 * to finish, A and C; the update makes v1 and E F launch. Step 1 takes D and E (B still running,
 * D has staleness 1). v2: G H launch. B now finishes: staleness 2 − 0 = 2 > 1, so step 2 discards
 * B, relaunches its draw as B′ (budget refunded), and takes two of F, G, H, B′.
 * M = 0 launches only the current step's groups: rollouts and updates alternate.
 *
 * Draws come from the curriculum step by step (`drawsFor(j)`, a pure function of seed and j), but
 * which groups a training step gets depends on completion order: an asynchronous run is not
 * reproducible draw for draw (docs/scale.md).
 */
import type { Draw } from './curriculum.ts';
import type { Group } from './rollouts.ts';

/** Where a group's draw came from: its curriculum step and how often it was sampled before. */
export interface StreamDraw {
  draw: Draw;
  drawStep: number;
  attempt: number;
}

export interface StreamGroup extends Group {
  /** Policy version (updates completed) when the group was launched. */
  version: number;
  source: StreamDraw;
}

export interface RolloutStreamOptions {
  tasksPerStep: number;
  maxOffPolicySteps: number;
  /** The policy version at the start (the resumed step), and the first curriculum step to draw. */
  start: number;
  /** The last step the run trains is `end − 1`: nothing is launched for later steps. */
  end: number;
  drawsFor: (drawStep: number) => Draw[];
  /** Samples one group (G episodes of the draw); rejects when the group cannot be used (an episode error). */
  runGroup: (d: StreamDraw, signal: AbortSignal) => Promise<Group>;
  signal?: AbortSignal;
}

export interface Taken {
  groups: StreamGroup[];
  /** Groups discarded as too stale since the last take (their draws were requeued). */
  stale: StreamGroup[];
  /** Seconds the trainer waited for the groups. */
  waitSeconds: number;
}

/**
 * Splits groups by staleness: fresh when `version − v ≤ maxOffPolicySteps`.
 * Example: versions [3, 1, 2], version 3, max 1 → fresh indices [0, 2], stale [1].
 */
export function partitionStale(versions_G: readonly number[], version: number, maxOffPolicySteps: number): { fresh: number[]; stale: number[] } {
  if (!Number.isInteger(maxOffPolicySteps) || maxOffPolicySteps < 0) throw new Error(`maxOffPolicySteps must be an integer ≥ 0 (got ${maxOffPolicySteps})`);
  const out = { fresh: [] as number[], stale: [] as number[] };
  versions_G.forEach((v, g) => {
    if (v > version) throw new Error(`group ${g} has version ${v}, newer than the policy (${version})`);
    (version - v <= maxOffPolicySteps ? out.fresh : out.stale).push(g);
  });
  return out;
}

export class RolloutStream {
  private version: number;
  private launched = 0;
  private discarded = 0;
  private nextDrawStep: number;
  private readonly queue: StreamDraw[] = [];
  private done: StreamGroup[] = [];
  private stale: StreamGroup[] = [];
  private readonly running = new Set<Promise<void>>();
  private failure: { error: unknown } | undefined;
  private wake: (() => void) | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly o: RolloutStreamOptions) {
    this.version = o.start;
    this.nextDrawStep = o.start;
    partitionStale([], 0, o.maxOffPolicySteps); // validates M
    o.signal?.addEventListener('abort', () => this.abort.abort(o.signal!.reason), { once: true });
    this.abort.signal.addEventListener('abort', () => this.notify(), { once: true });
    this.pump();
  }

  private budget(): number {
    const ahead = Math.min(this.version + this.o.maxOffPolicySteps + 1, this.o.end) - this.o.start;
    return ahead * this.o.tasksPerStep + this.discarded;
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private pump(): void {
    while (!this.abort.signal.aborted && !this.failure && this.launched < this.budget()) {
      if (this.queue.length === 0) {
        const j = this.nextDrawStep++;
        this.queue.push(...this.o.drawsFor(j).map((draw) => ({ draw, drawStep: j, attempt: 0 })));
        if (this.queue.length === 0) throw new Error(`the curriculum drew no task for step ${j}`);
      }
      const d = this.queue.shift()!;
      const version = this.version;
      this.launched++;
      const p: Promise<void> = this.o
        .runGroup(d, this.abort.signal)
        .then(
          (g) => void this.done.push({ ...g, version, source: d }),
          (error: unknown) => void (this.failure ??= { error }),
        )
        .finally(() => {
          this.running.delete(p);
          this.notify();
        });
      this.running.add(p);
    }
  }

  /** After each update: the policy is one version newer, and more groups may launch. */
  advance(): void {
    this.version++;
    this.pump();
  }

  /** The next step's T groups (waits for them), with the groups discarded as stale meanwhile. */
  async take(): Promise<Taken> {
    const t0 = performance.now();
    for (;;) {
      if (this.failure) throw this.failure.error;
      this.abort.signal.throwIfAborted();
      this.discardStale();
      if (this.done.length >= this.o.tasksPerStep) break;
      await new Promise<void>((r) => (this.wake = r));
    }
    return { groups: this.done.splice(0, this.o.tasksPerStep), stale: this.stale.splice(0), waitSeconds: (performance.now() - t0) / 1000 };
  }

  private discardStale(): void {
    const { fresh, stale } = partitionStale(
      this.done.map((g) => g.version),
      this.version,
      this.o.maxOffPolicySteps,
    );
    if (stale.length === 0) return;
    const old = stale.map((g) => this.done[g]!);
    this.done = fresh.map((g) => this.done[g]!);
    this.stale.push(...old);
    this.queue.unshift(...old.map((g) => ({ ...g.source, attempt: g.source.attempt + 1 })));
    this.discarded += old.length;
    this.pump();
  }

  /** Stops launching, aborts the groups in flight and waits for them to settle. */
  async close(): Promise<void> {
    this.abort.abort(new Error('rollout stream closed'));
    await Promise.allSettled([...this.running]);
  }
}
