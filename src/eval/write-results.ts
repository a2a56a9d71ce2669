import type { Task } from '../dataset/task.ts';
import { toTaubenchResult } from '../episode/taubench-export.ts';
import type { Trajectory } from '../episode/trajectory.ts';
import type { RunDir } from '../run/run-dir.ts';
import type { DoNothingFloor } from './floor.ts';
import { renderReport } from './report/html.ts';
import type { Summary } from './summary.ts';

export const RESULTS_SCHEMA_VERSION = 1;

/**
 * Writes a run's readable outputs from its episodes: `results.json` (summary + provenance),
 * `taubench-results.json` (τ-bench's EnvRunResult list) and the self-contained `report.html`.
 * `floor`: the task set's do-nothing floor (`doNothingFloor`), recorded beside pass^1; null
 * where it is not known.
 */
export function writeEvalOutputs(run: RunDir, summary: Summary, episodes: readonly Trajectory[], tasks: readonly Task[], complete: boolean, floor: DoNothingFloor | null = null): void {
  const manifest = run.manifest();
  run.writeResults({ schema: RESULTS_SCHEMA_VERSION, complete, summary, floor, config: manifest.config, provenance: manifest.provenance });
  const byId = new Map(tasks.map((t) => [t.id, t]));
  run.writeFile('taubench-results.json', JSON.stringify(episodes.map((e) => toTaubenchResult(e, byId.get(e.taskId))), null, 2) + '\n');
  const meta: Record<string, string> = {};
  for (const [k, v] of Object.entries(manifest.config)) meta[k] = typeof v === 'string' ? v : JSON.stringify(v);
  meta.commit = manifest.provenance.commit ?? 'unknown';
  meta.complete = String(complete);
  run.writeFile('report.html', renderReport({ title: `tarl eval — ${run.dir}`, summary, episodes, meta, floor }));
}

/** A short plain-text table of the headline figures (`floor`: the do-nothing floor, beside pass^1). */
export function formatSummary(s: Summary, floor: DoNothingFloor | null = null): string {
  const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
  const planned = s.tasks * s.trials;
  const lines = [
    s.episodes === planned
      ? `tasks ${s.tasks} × trials ${s.trials} = ${planned} episodes (errors ${s.errors})`
      : `tasks ${s.tasks} × trials ${s.trials} = ${planned} episodes planned, ${s.episodes} recorded, ${planned - s.episodes} not (errors ${s.errors})`,
    ...Object.entries(s.passHatK).map(([k, v]) => `pass^${k} ${f(v)}   pass@${k} ${f(s.passAtK[k] ?? null)}`),
    `mean reward ${f(s.meanReward)}   turns/episode ${f(s.stepsPerEpisode.mean)}   tool errors/episode ${f(s.toolErrorsPerEpisode)}`,
    `terminations ${Object.entries(s.terminations).map(([k, v]) => `${k}=${v}`).join(' ')}`,
    `cost ${s.costUsd === null ? 'unknown' : `$${s.costUsd.toFixed(4)}`}`,
  ];
  if (floor) lines.splice(2, 0, `do-nothing floor pass^1 ${f(floor.pass1)} (${floor.passed}/${floor.tasks} tasks pass with nothing done)`);
  if (s.judge) lines.push(`judge verdicts +1 ${s.judge.scores['+1']}  0 ${s.judge.scores['0']}  -1 ${s.judge.scores['-1']} over ${s.judge.turns} turns (${s.judge.judged} episodes judged, ${s.judge.failed} failed)`);
  for (const [m, ms] of Object.entries(s.byModality ?? {})) {
    lines.push(`${m}: ${ms.episodes} episodes   pass^1 ${f(ms.passHatK['1'] ?? null)}   mean reward ${f(ms.meanReward)}   turns/episode ${f(ms.stepsPerEpisode.mean)}`);
  }
  if (s.speech) {
    const c = s.speech;
    lines.push(`speech cost per episode: TTS ${c.ttsSecondsPerEpisode.toFixed(2)} s, audio ${(c.audioBytesPerEpisode / 1024).toFixed(1)} KiB (${c.audioSecondsPerEpisode.toFixed(1)} s), cache hits ${c.cacheHitRate === null ? 'n/a' : `${Math.round(c.cacheHitRate * 100)}%`}`);
  }
  return lines.join('\n');
}

/**
 * After an interrupted eval: what was recorded and what was not, adding up to the plan —
 * episodes cancelled in flight plus those never started are the ones `--resume` runs.
 */
export function formatInterrupted(s: Summary, cancelled: number): string {
  const planned = s.tasks * s.trials;
  const missing = planned - s.episodes;
  return (
    `interrupted: ${s.episodes} of ${planned} episodes recorded; ${cancelled} cancelled in flight and ${missing - cancelled} never started ` +
    `(not recorded) — run the same command with --resume to run these ${missing}`
  );
}
