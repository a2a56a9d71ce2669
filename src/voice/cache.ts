import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { repoPath } from '../paths.ts';
import type { VoiceParams } from './engine.ts';

/** What a cached utterance is keyed by: the engine's output is a function of these alone. */
export interface TtsKey extends VoiceParams {
  engine: string;
  engineVersion: string;
  text: string;
}

/** `$TARL_CACHE_DIR/tarl/tts`, else `.cache/tarl/tts` in the checkout (as the trainer's tokenizers). */
export function defaultTtsCacheDir(): string {
  const root = process.env.TARL_CACHE_DIR ?? repoPath('.cache');
  return join(root, 'tarl', 'tts');
}

export function ttsKeyHash(k: TtsKey): string {
  return createHash('sha256').update(JSON.stringify([k.engine, k.engineVersion, k.voice, k.rate, k.pitch, k.text])).digest('hex');
}

/**
 * A content-addressed cache of engine output: `<dir>/<h[0:2]>/<h>.wav` with h = SHA-256 of
 * (engine, engine version, voice, rate, pitch, text). Writes are atomic (temp file + rename),
 * so concurrent runs share it safely; a new espeak-ng version misses instead of replaying stale audio.
 */
export class TtsCache {
  constructor(readonly dir: string) {}

  path(k: TtsKey): string {
    const h = ttsKeyHash(k);
    return join(this.dir, h.slice(0, 2), `${h}.wav`);
  }

  get(k: TtsKey): Buffer | undefined {
    try {
      return readFileSync(this.path(k));
    } catch {
      return undefined;
    }
  }

  put(k: TtsKey, wav: Buffer): void {
    const p = this.path(k);
    mkdirSync(dirname(p), { recursive: true });
    const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, wav);
    renameSync(tmp, p);
  }
}
