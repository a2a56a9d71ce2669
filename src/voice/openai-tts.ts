import { Gate, VoiceError, type TtsEngine, type VoiceParams } from './engine.ts';

export interface OpenAiTtsConfig {
  /** Base URL up to `/v1` (the request goes to `${baseUrl}/audio/speech`). */
  baseUrl: string;
  model: string;
  /** Environment variable holding the key; none: no Authorization header (local servers). */
  apiKeyEnv?: string;
  env?: Readonly<Record<string, string | undefined>>;
  concurrency?: number;
  timeoutMs?: number;
  /** Attempts on 429, 5xx and connection failures. */
  attempts?: number;
}

/** The rate at which OpenAI's `speed` is 1 (espeak-ng's default words per minute). */
export const BASE_RATE = 175;

/**
 * Any OpenAI-compatible `POST /v1/audio/speech` endpoint (OpenAI, Kokoro-FastAPI, openedai-speech,
 * …): `{model, input, voice, response_format: "wav", speed}` → WAV bytes. `speed` = rate / 175,
 * clipped to OpenAI's [0.25, 4]; there is no pitch control. Streamed WAVs with an unpatched
 * header are accepted (the Voice layer re-encodes every file with an exact header).
 */
export class OpenAiTtsEngine implements TtsEngine {
  readonly name: string;
  readonly hasPitch = false;
  private readonly gate: Gate;
  private readonly key: string | undefined;

  constructor(private readonly cfg: OpenAiTtsConfig) {
    const host = (() => {
      try {
        return new URL(cfg.baseUrl).host;
      } catch {
        throw new VoiceError(`voice baseUrl '${cfg.baseUrl}' is not a URL`);
      }
    })();
    this.name = `openai@${host}`;
    this.gate = new Gate(cfg.concurrency ?? 4);
    if (cfg.apiKeyEnv !== undefined) {
      const v = (cfg.env ?? process.env)[cfg.apiKeyEnv];
      if (v === undefined || v.trim() === '') throw new VoiceError(`environment variable ${cfg.apiKeyEnv} is not set; it should hold the API key for ${host}`);
      this.key = v.trim();
    }
  }

  version(): Promise<string> {
    return Promise.resolve(this.cfg.model);
  }

  async synthesize(text: string, p: VoiceParams, signal?: AbortSignal): Promise<Buffer> {
    if (text.trim() === '') throw new VoiceError(`${this.name}: nothing to say (empty text)`);
    const url = `${this.cfg.baseUrl.replace(/\/+$/, '')}/audio/speech`;
    const body = JSON.stringify({ model: this.cfg.model, input: text, voice: p.voice, response_format: 'wav', speed: Math.min(4, Math.max(0.25, p.rate / BASE_RATE)) });
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.key) headers.authorization = `Bearer ${this.key}`;
    const attempts = this.cfg.attempts ?? 3;
    return this.gate.run(async () => {
      let last = '';
      for (let i = 0; i < attempts; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 250 * 2 ** (i - 1)));
        let res: Response;
        try {
          const timeout = AbortSignal.timeout(this.cfg.timeoutMs ?? 60_000);
          res = await fetch(url, { method: 'POST', headers, body, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
        } catch (e) {
          if (signal?.aborted) throw signal.reason;
          last = `connection failed: ${e instanceof Error ? e.message : String(e)}`;
          continue;
        }
        if (res.ok) return Buffer.from(await res.arrayBuffer());
        const detail = (await res.text().catch(() => '')).slice(0, 300);
        last = `HTTP ${res.status}: ${detail}`;
        if (res.status !== 429 && res.status < 500) break; // our request is wrong: retrying cannot help
      }
      throw new VoiceError(`${this.name} /audio/speech (model ${this.cfg.model}, voice ${p.voice}) failed: ${last}`);
    });
  }
}
