import type { Trajectory } from '../episode/trajectory.ts';
import { modalityOf } from '../eval/modality.ts';
import type { CreditResult } from './credit.ts';
import { rolloutMetrics } from './step-metrics.ts';
import type { TrainItem } from './train-batch.ts';

/**
 * A speech run's rollout metrics by modality: every `reward/` and `env/` figure of
 * `rolloutMetrics` over the text rollouts and over the speech rollouts alone, named
 * `<metric>/text` and `<metric>/speech` (e.g. `reward/outcome/speech`); plus what speech cost this
 * step: `perf/tts_s` (TTS wall seconds, summed over utterances), `perf/audio_bytes`,
 * `perf/audio_s` (seconds of audio synthesised), `perf/audio_tokens` (audio placeholder tokens
 * in the update's sequences) and `perf/audio_spans`. Empty for a text run (no record states a
 * modality), so text runs log exactly what they did before.
 */
export function modalityMetrics(groups: readonly (readonly Trajectory[])[], credit: CreditResult, items: readonly TrainItem[]): Record<string, number> {
  const all = groups.flat();
  if (!all.some((t) => t.modality !== undefined)) return {};
  const out: Record<string, number> = {};
  for (const m of ['text', 'speech'] as const) {
    const keep = groups.map((g) => g.map((t) => modalityOf(t) === m));
    const sub = groups.map((g, gi) => g.filter((_, i) => keep[gi]![i]));
    if (sub.every((g) => g.length === 0)) continue;
    const credits = credit.credits.map((g, gi) => g.filter((_, i) => keep[gi]![i]));
    const metrics = rolloutMetrics(sub, { credits, dropped: 0, unjudged: 0 });
    for (const [k, v] of Object.entries(metrics)) if (k.startsWith('reward/') || k.startsWith('env/')) out[`${k}/${m}`] = v;
  }
  const stat = (k: string): number => all.reduce((a, t) => a + (t.userStats?.[k] ?? 0), 0);
  out['perf/tts_s'] = stat('tts_ms') / 1000;
  out['perf/audio_bytes'] = stat('audio_bytes');
  out['perf/audio_s'] = stat('audio_ms') / 1000;
  out['perf/audio_spans'] = items.reduce((a, it) => a + (it.seq.audio?.length ?? 0), 0);
  out['perf/audio_tokens'] = items.reduce((a, it) => a + (it.seq.audio ?? []).reduce((b, s) => b + placeholderRun(it.seq.ids_T, s.at), 0), 0);
  return out;
}

/** The length of the run of equal ids from `at` (a span's placeholders). */
function placeholderRun(ids: readonly number[], at: number): number {
  let n = 0;
  while (at + n < ids.length && ids[at + n] === ids[at]) n++;
  return n;
}
