import type { UserContext, UserEpisode, UserReply, UserSimulator } from '../users/user.ts';
import type { EpisodeModality, Modality } from './config.ts';
import { episodeModality } from './modality.ts';
import type { AudioStore } from './store.ts';
import type { Voice, VoiceRecord } from './voice.ts';
import type { VoiceParams } from './engine.ts';

/** Counters a speaking user adds to `trajectory.userStats` (numbers only, as that record is). */
export interface SpeechStats {
  tts_turns: number;
  tts_ms: number;
  tts_cache_hits: number;
  audio_bytes: number;
  audio_ms: number;
}

/**
 * A user simulator that speaks (the paper's TTS user): it wraps any simulator, and in a speech
 * episode each reply the agent will hear carries an `audio` reference (the WAV is put in the run's
 * audio store once). The transcript stays the reply's `content`, so judges, verifiers and the
 * record read text. A stopping reply (###STOP###) ends the episode before the agent hears it, so
 * it is not synthesised. Whether an episode speaks is `episodeModality(seed, …)`; the voice is
 * `voice.variation(seed)`, the same for every turn of the episode.
 */
export class SpeakingUser implements UserSimulator {
  readonly name: string;

  constructor(
    private readonly inner: UserSimulator,
    private readonly voice: Voice,
    private readonly store: AudioStore,
    private readonly modality: Modality,
    private readonly speechRatio: number,
  ) {
    this.name = inner.name;
  }

  start(ctx: UserContext): UserEpisode {
    const modality = episodeModality(ctx.seed, this.modality, this.speechRatio);
    const inner = this.inner.start(ctx);
    if (modality === 'text') return textEpisode(inner);
    return new SpeakingEpisode(inner, this.voice, this.store, ctx, this.voice.variation(ctx.seed));
  }
}

function textEpisode(inner: UserEpisode): UserEpisode {
  const ep: UserEpisode = {
    speech: () => ({ modality: 'text' }),
    first: (signal) => inner.first(signal),
    reply: (text, signal) => inner.reply(text, signal),
  };
  if (inner.stats) ep.stats = () => inner.stats!();
  return ep;
}

class SpeakingEpisode implements UserEpisode {
  private voice?: VoiceRecord;
  private turn = 0;
  private readonly counters: SpeechStats = { tts_turns: 0, tts_ms: 0, tts_cache_hits: 0, audio_bytes: 0, audio_ms: 0 };

  constructor(
    private readonly inner: UserEpisode,
    private readonly tts: Voice,
    private readonly store: AudioStore,
    private readonly ctx: UserContext,
    private readonly params: VoiceParams,
  ) {}

  async first(signal?: AbortSignal): Promise<UserReply> {
    this.voice = await this.tts.record(this.params);
    return this.speak(await this.inner.first(signal), signal);
  }

  async reply(agentText: string, signal?: AbortSignal): Promise<UserReply> {
    return this.speak(await this.inner.reply(agentText, signal), signal);
  }

  speech(): { modality: EpisodeModality; voice?: VoiceRecord } {
    return this.voice ? { modality: 'speech', voice: this.voice } : { modality: 'speech' };
  }

  stats(): Record<string, number> {
    return { ...this.inner.stats?.(), ...this.counters, tts_ms: Math.round(this.counters.tts_ms) };
  }

  private async speak(r: UserReply, signal?: AbortSignal): Promise<UserReply> {
    const turn = this.turn++;
    if (r.stop) return r;
    const u = await this.tts.speak(r.content, this.params, `noise/${this.ctx.seed}/${this.ctx.trial}/${turn}`, signal);
    this.store.put(u.wav);
    this.counters.tts_turns++;
    this.counters.tts_ms += u.ttsMs;
    if (u.cached) this.counters.tts_cache_hits++;
    this.counters.audio_bytes += u.ref.bytes;
    this.counters.audio_ms += Math.round(u.ref.durationS * 1000);
    return { ...r, audio: u.ref };
  }
}
