import { join } from 'node:path';
import type { UserSimulator } from '../users/user.ts';
import type { SpeechConfig } from './config.ts';
import { SpeakingUser } from './speaking-user.ts';
import { AUDIO_DIR, AudioStore } from './store.ts';
import { Voice } from './voice.ts';
import type { AudioInput } from './wire.ts';

/** A run's speech side: the voice, the run's audio store, and what agents read audio from. */
export interface RunSpeech {
  config: SpeechConfig;
  voice: Voice;
  store: AudioStore;
  audio: AudioInput;
  /** The user simulator, speaking in the run's speech episodes. */
  wrap(user: UserSimulator): UserSimulator;
}

/**
 * The run's voice, its engine checked (a missing espeak-ng fails here, before a run directory or
 * an episode exists, naming the install command); undefined for a text run.
 */
export async function checkedVoice(config: SpeechConfig): Promise<Voice | undefined> {
  if (config.modality === 'text') return undefined;
  const voice = new Voice(config.voice);
  await voice.engine.version();
  return voice;
}

/** Sets up speech for a run directory (undefined for a text run): the audio goes to `<runDir>/audio/`. */
export async function runSpeech(config: SpeechConfig, runDir: string, checked?: Voice): Promise<RunSpeech | undefined> {
  const voice = checked ?? (await checkedVoice(config));
  if (!voice || config.modality === 'text') return undefined;
  const store = new AudioStore(join(runDir, AUDIO_DIR));
  return {
    config,
    voice,
    store,
    audio: { source: store, sendTranscript: config.voice.sendTranscript },
    wrap: (user) => new SpeakingUser(user, voice, store, config.modality, config.speechRatio),
  };
}

/** What run.json records of a run's speech (nothing for text, so text runs are unchanged). */
export function speechRecord(config: SpeechConfig): Record<string, unknown> {
  if (config.modality === 'text') return {};
  const { cacheDir: _cacheDir, apiKeyEnv: _apiKeyEnv, ...voice } = config.voice;
  return { modality: config.modality, ...(config.modality === 'mixed' && { speechRatio: config.speechRatio }), voice };
}
