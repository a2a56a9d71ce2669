import { z } from 'zod';

/** How user turns reach the agent: all text, all speech, or each episode drawn (seeded) by `speechRatio`. */
export const modalitySchema = z.enum(['text', 'speech', 'mixed']);
export type Modality = z.infer<typeof modalitySchema>;
/** What one episode is. */
export type EpisodeModality = 'text' | 'speech';

export const DEFAULT_ESPEAK_VOICES = ['en-us', 'en-gb', 'en-us+f2', 'en-gb+f4', 'en-us+m3', 'en-gb-x-rp+m7'];
export const DEFAULT_OPENAI_VOICES = ['alloy', 'echo', 'fable', 'onyx', 'nova', 'shimmer'];

/**
 * The voice of simulated users (docs/speech.md). Each speech episode draws one voice from
 * `voices` and a rate and pitch within ± the jitter of the base values (seeded by the episode),
 * so a model never learns one speaker.
 */
export const voiceConfigSchema = z
  .object({
    engine: z.enum(['espeak-ng', 'openai']).default('espeak-ng').describe('espeak-ng (local) or an OpenAI-compatible /v1/audio/speech endpoint'),
    voices: z.array(z.string().min(1)).min(1).optional().describe('voices an episode draws from (default: six English espeak-ng voices and variants, or OpenAI\'s six)'),
    rate: z.number().int().min(80).max(450).default(175).describe('words per minute (OpenAI speed = rate / 175)'),
    pitch: z.number().int().min(0).max(99).default(50).describe('espeak-ng pitch (OpenAI has none)'),
    rateJitter: z.number().int().min(0).max(200).default(20).describe('± words per minute drawn per episode'),
    pitchJitter: z.number().int().min(0).max(49).default(15).describe('± pitch drawn per episode'),
    sampleRate: z.number().int().min(8000).max(48000).default(16000).describe('Hz of the stored WAVs (16000 is what Whisper-style encoders such as Qwen2.5-Omni\'s take)'),
    snrDb: z.number().min(-10).max(100).nullable().default(null).describe('mix seeded white noise at this signal-to-noise ratio (dB); null: clean'),
    sendTranscript: z.boolean().default(false).describe('also send the transcript as a text part beside the audio'),
    binary: z.string().min(1).default('espeak-ng').describe('espeak-ng executable'),
    baseUrl: z.string().optional().describe('openai engine: base URL up to /v1'),
    model: z.string().min(1).default('tts-1').describe('openai engine: TTS model'),
    apiKeyEnv: z.string().optional().describe('openai engine: environment variable holding the key'),
    cacheDir: z.string().optional().describe('TTS cache directory (default $TARL_CACHE_DIR/tarl/tts or .cache/tarl/tts)'),
    concurrency: z.number().int().positive().default(2).describe('utterances synthesised at once'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.engine === 'openai' && !v.baseUrl) ctx.addIssue({ code: 'custom', path: ['baseUrl'], message: 'the openai engine needs baseUrl (e.g. https://api.openai.com/v1)' });
  });
export type VoiceConfig = z.infer<typeof voiceConfigSchema>;
export type VoiceConfigInput = z.input<typeof voiceConfigSchema>;

/** `--modality`, `--speech-ratio` and `--voice` together (eval, train, demo). */
export const speechConfigSchema = z
  .object({
    modality: modalitySchema.default('text'),
    speechRatio: z.number().min(0).max(1).default(0.5).describe('mixed: the chance that an episode is spoken (drawn from its seed)'),
    voice: voiceConfigSchema.prefault({}),
  })
  .strict();
export type SpeechConfig = z.infer<typeof speechConfigSchema>;

const KEYS: Record<string, keyof VoiceConfigInput> = {
  voices: 'voices',
  rate: 'rate',
  pitch: 'pitch',
  rate_jitter: 'rateJitter',
  pitch_jitter: 'pitchJitter',
  sample_rate: 'sampleRate',
  snr: 'snrDb',
  send_transcript: 'sendTranscript',
  binary: 'binary',
  base_url: 'baseUrl',
  model: 'model',
  api_key_env: 'apiKeyEnv',
  cache_dir: 'cacheDir',
  concurrency: 'concurrency',
};

/**
 * `--voice KIND[:key=value,…]`, e.g. `espeak-ng:voices=en-us|en-gb,rate=160,snr=20` or
 * `openai:base_url=http://127.0.0.1:8880/v1,model=kokoro,voices=af_bella`. Lists use `|`.
 */
export function parseVoiceSpec(spec: string): VoiceConfigInput {
  const colon = spec.indexOf(':');
  const kind = (colon < 0 ? spec : spec.slice(0, colon)).trim();
  if (kind !== 'espeak-ng' && kind !== 'openai') throw new Error(`--voice: unknown engine '${kind}' (espeak-ng or openai)`);
  const out: Record<string, unknown> = { engine: kind };
  const rest = colon < 0 ? '' : spec.slice(colon + 1);
  for (const part of rest.split(',').filter((p) => p.trim() !== '')) {
    const eq = part.indexOf('=');
    if (eq < 0) throw new Error(`--voice: '${part}' is not key=value`);
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    const field = KEYS[k];
    if (!field) throw new Error(`--voice: unknown key '${k}' (known: ${Object.keys(KEYS).join(', ')})`);
    if (field === 'voices') out[field] = v.split('|').map((s) => s.trim()).filter(Boolean);
    else if (field === 'sendTranscript') out[field] = v === 'true' || v === '1';
    else if (field === 'snrDb' && (v === 'none' || v === 'null')) out[field] = null;
    else if (['rate', 'pitch', 'rateJitter', 'pitchJitter', 'sampleRate', 'snrDb', 'concurrency'].includes(field)) {
      const n = Number(v);
      if (!Number.isFinite(n)) throw new Error(`--voice: ${k} must be a number (got '${v}')`);
      out[field] = n;
    } else out[field] = v;
  }
  const parsed = voiceConfigSchema.safeParse(out);
  if (!parsed.success) throw new Error(`--voice: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'voice'}: ${i.message}`).join('; ')}`);
  return out as VoiceConfigInput;
}

/** `--modality`, `--speech-ratio`, `--voice`, `--send-transcript` as one checked config. */
export function speechConfigFromFlags(o: { modality?: string; speechRatio?: string; voice?: string; sendTranscript?: boolean }): SpeechConfig {
  const voice = parseVoiceSpec(o.voice ?? 'espeak-ng');
  if (o.sendTranscript) voice.sendTranscript = true;
  const ratio = o.speechRatio === undefined ? undefined : Number(o.speechRatio);
  const parsed = speechConfigSchema.safeParse({ modality: o.modality ?? 'text', ...(ratio !== undefined && { speechRatio: ratio }), voice });
  if (!parsed.success) {
    const flag: Record<string, string> = { modality: '--modality', speechRatio: '--speech-ratio' };
    throw new Error(parsed.error.issues.map((i) => `${flag[String(i.path[0])] ?? `--voice ${i.path.slice(1).join('.')}`}: ${i.message}`).join('; '));
  }
  return parsed.data;
}
