import { rmSync } from 'node:fs';
import type { RunDir } from '../run/run-dir.ts';
import type { TrainerClient } from '../trainer/client.ts';

/**
 * Saves `checkpoints/N` after N completed steps (weights, optimizer, schedule and sampler RNG,
 * written atomically by the service), then its train state (atomically), then deletes all but the
 * newest `keep`. A crash before the train state is written leaves an incomplete checkpoint that
 * resume skips. Saved every `every` steps and after the last one.
 */
export async function saveCheckpoint(run: RunDir, client: TrainerClient, sessionId: string, o: { step: number; steps: number; seed: number; every: number; keep: number }): Promise<void> {
  if (o.step % o.every !== 0 && o.step !== o.steps) return;
  await client.save(sessionId, run.checkpointPath(o.step), true);
  run.writeTrainState({ step: o.step, seed: o.seed, loop: {} });
  for (const old of run.checkpointSteps().slice(o.keep)) rmSync(run.checkpointPath(old), { recursive: true, force: true });
}

/** A resumed run must be the same run: every config field but `steps` (which may grow) must match. */
export function assertSameConfig(run: RunDir, cfg: unknown): void {
  const prev = run.manifest().config;
  const now = JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>;
  for (const k of Object.keys(now)) {
    if (k === 'steps') continue;
    if (JSON.stringify(prev[k]) !== JSON.stringify(now[k])) throw new Error(`--resume: config '${k}' differs from the run being resumed (${JSON.stringify(prev[k])} there, ${JSON.stringify(now[k])} now)`);
  }
}
