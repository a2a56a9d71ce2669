/** A text-to-speech engine: text and voice parameters in, a PCM16 WAV file out. */

/** The voice one utterance is spoken in (one episode keeps one; see `Voice.variation`). */
export interface VoiceParams {
  /** Engine voice name: espeak-ng `en-us+f2`, OpenAI `alloy`, … */
  voice: string;
  /** Words per minute (espeak-ng `-s`; OpenAI's `speed` is rate / 175). */
  rate: number;
  /** espeak-ng pitch 0–99; null for engines without a pitch control. */
  pitch: number | null;
}

export interface TtsEngine {
  /** `espeak-ng`, or `openai@host` for an OpenAI-compatible endpoint: the cache key's engine. */
  readonly name: string;
  /** What makes its output change between installs (espeak-ng's version, the endpoint's model). */
  version(): Promise<string>;
  /** Whether the engine has a pitch control (its absence makes `pitch` null in the cache key). */
  readonly hasPitch: boolean;
  /** One utterance as a WAV file (PCM16; any sample rate, the caller resamples). */
  synthesize(text: string, p: VoiceParams, signal?: AbortSignal): Promise<Buffer>;
}

/** A voice engine could not do its job: missing program, endpoint failure, bad output. */
export class VoiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'VoiceError';
  }
}

/** At most `n` tasks at a time (TTS processes compete with the trainer for the CPU). */
export class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly n: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.n) await new Promise<void>((r) => this.waiting.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.waiting.shift()?.();
    }
  }
}
