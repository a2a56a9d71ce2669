import type { Trajectory } from '../episode/trajectory.ts';

/** What an episode's modality is: its record's `modality`, text when absent (runs before speech). */
export const modalityOf = (e: Pick<Trajectory, 'modality'>): 'text' | 'speech' => e.modality ?? 'text';

/** Whether a set of episodes comes from a run with a modality (any record states one). */
export const hasModality = (episodes: readonly Pick<Trajectory, 'modality'>[]): boolean => episodes.some((e) => e.modality !== undefined);

/**
 * The cost of the spoken episodes (per speech episode): TTS wall seconds, audio bytes stored,
 * seconds of audio, and the share of utterances served by the TTS cache. From the speaking
 * user's counters in `userStats` (src/voice/speaking-user.ts).
 */
export interface SpeechCosts {
  episodes: number;
  utterances: number;
  ttsSecondsPerEpisode: number;
  audioBytesPerEpisode: number;
  audioSecondsPerEpisode: number;
  cacheHitRate: number | null;
}

export function speechCosts(episodes: readonly Trajectory[]): SpeechCosts | undefined {
  const speech = episodes.filter((e) => e.modality === 'speech');
  if (speech.length === 0) return undefined;
  const sum = (k: string): number => speech.reduce((a, e) => a + (e.userStats?.[k] ?? 0), 0);
  const n = speech.length;
  const turns = sum('tts_turns');
  return {
    episodes: n,
    utterances: turns,
    ttsSecondsPerEpisode: sum('tts_ms') / 1000 / n,
    audioBytesPerEpisode: sum('audio_bytes') / n,
    audioSecondsPerEpisode: sum('audio_ms') / 1000 / n,
    cacheHitRate: turns ? sum('tts_cache_hits') / turns : null,
  };
}
