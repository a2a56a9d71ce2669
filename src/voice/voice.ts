import type { AudioRef } from '../chat/messages.ts';
import { Rng } from '../generate/prng.ts';
import { TtsCache, defaultTtsCacheDir, type TtsKey } from './cache.ts';
import { DEFAULT_ESPEAK_VOICES, DEFAULT_OPENAI_VOICES, type VoiceConfig } from './config.ts';
import { mixNoise, resample } from './dsp.ts';
import type { TtsEngine, VoiceParams } from './engine.ts';
import { EspeakEngine } from './espeak.ts';
import { OpenAiTtsEngine } from './openai-tts.ts';
import { AudioStore } from './store.ts';
import { encodeWav, parseWav, toMonoFloat, toPcm16 } from './wav.ts';

/** One spoken utterance, ready to store. */
export interface Utterance {
  /** The final file: resampled to the configured rate, noise mixed in, exact header. */
  wav: Buffer;
  ref: AudioRef;
  /** Wall time of this utterance: synthesis or cache read, resampling, noise. */
  ttsMs: number;
  cached: boolean;
}

/** How an episode's user sounded (kept on the trajectory). */
export interface VoiceRecord extends VoiceParams {
  engine: string;
  engineVersion: string;
  sampleRate: number;
  snrDb: number | null;
}

export function engineFor(cfg: VoiceConfig, env?: Readonly<Record<string, string | undefined>>): TtsEngine {
  if (cfg.engine === 'espeak-ng') return new EspeakEngine(cfg.binary, cfg.concurrency);
  return new OpenAiTtsEngine({
    baseUrl: cfg.baseUrl ?? '', model: cfg.model, concurrency: cfg.concurrency,
    ...(cfg.apiKeyEnv !== undefined && { apiKeyEnv: cfg.apiKeyEnv }), ...(env && { env }),
  });
}

/**
 * The voice layer of simulated users: text → WAV at the configured sample rate, through a
 * content-addressed cache of the engine's output (keyed by engine, engine version, voice, rate,
 * pitch, text), with seeded noise mixed in after the cache (so the cache holds clean speech).
 */
export class Voice {
  readonly cache: TtsCache;
  readonly voices: readonly string[];
  /** Engine calls made and cache hits, for cost figures. */
  readonly counters = { synthesized: 0, cacheHits: 0 };

  constructor(
    readonly cfg: VoiceConfig,
    readonly engine: TtsEngine = engineFor(cfg),
  ) {
    this.cache = new TtsCache(cfg.cacheDir ?? defaultTtsCacheDir());
    this.voices = cfg.voices ?? (cfg.engine === 'openai' ? DEFAULT_OPENAI_VOICES : DEFAULT_ESPEAK_VOICES);
  }

  /** The episode's voice: a voice from the list, rate and pitch within ± jitter (seeded). */
  variation(seed: number): VoiceParams {
    const rng = new Rng(`voice/${seed}`);
    const voice = rng.pick(this.voices);
    const rate = this.cfg.rate + rng.int(-this.cfg.rateJitter, this.cfg.rateJitter);
    const pitch = this.cfg.pitch + rng.int(-this.cfg.pitchJitter, this.cfg.pitchJitter);
    return { voice, rate: Math.max(80, Math.min(450, rate)), pitch: this.engine.hasPitch ? Math.max(0, Math.min(99, pitch)) : null };
  }

  async record(p: VoiceParams): Promise<VoiceRecord> {
    return { engine: this.engine.name, engineVersion: await this.engine.version(), ...p, sampleRate: this.cfg.sampleRate, snrDb: this.cfg.snrDb };
  }

  /** Speaks `text`; `noiseSeed` seeds the noise (one per turn, so turns differ). */
  async speak(text: string, p: VoiceParams, noiseSeed: string, signal?: AbortSignal): Promise<Utterance> {
    const t0 = performance.now();
    const key: TtsKey = { engine: this.engine.name, engineVersion: await this.engine.version(), ...p, text };
    let raw = this.cache.get(key);
    const cached = raw !== undefined;
    if (raw) this.counters.cacheHits++;
    else {
      const out = await this.engine.synthesize(text, p, signal);
      this.counters.synthesized++;
      // Re-encoded with an exact header (a streamed file's header may lie), mono.
      const w = parseWav(out, `${this.engine.name} output for voice ${p.voice}`, true);
      raw = encodeWav(toPcm16(toMonoFloat(w)), w.sampleRate);
      this.cache.put(key, raw);
    }
    const w = parseWav(raw, this.cache.path(key));
    let x = resample(toMonoFloat(w), w.sampleRate, this.cfg.sampleRate);
    if (this.cfg.snrDb !== null) x = mixNoise(x, this.cfg.snrDb, noiseSeed);
    const wav = encodeWav(toPcm16(x), this.cfg.sampleRate);
    const ref: AudioRef = { sha256: AudioStore.sha256(wav), format: 'wav', sampleRate: this.cfg.sampleRate, durationS: round3(x.length / this.cfg.sampleRate), bytes: wav.length };
    return { wav, ref, ttsMs: performance.now() - t0, cached };
  }
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
