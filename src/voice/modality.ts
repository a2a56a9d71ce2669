import { createHash } from 'node:crypto';
import type { EpisodeModality, Modality } from './config.ts';

/**
 * Whether an episode is spoken. `mixed` draws it from the episode seed alone (SHA-256 of
 * "modality" and the seed, as a uniform in [0, 1) against `speechRatio`), so a resumed or
 * rescheduled run draws the same, and the fraction of speech episodes converges to the ratio.
 */
export function episodeModality(seed: number, modality: Modality, speechRatio: number): EpisodeModality {
  if (modality !== 'mixed') return modality;
  const u = createHash('sha256').update(`modality\0${seed}`).digest().readUInt32BE(0) / 2 ** 32;
  return u < speechRatio ? 'speech' : 'text';
}
