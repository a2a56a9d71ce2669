import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const AUDIO_DIR = 'audio';

/** What an agent, a renderer or a trainer needs to reach a recorded utterance. */
export interface AudioSource {
  /** Absolute path of the file (the trainer service reads it by path). */
  path(sha256: string): string;
  read(sha256: string): Buffer;
}

const SHA = /^[0-9a-f]{64}$/;

/**
 * A run's audio: each WAV stored once as `audio/<sha256>.wav` in the run directory, however
 * many turns, trials or records refer to it (trajectories hold only the AudioRef). Files are
 * written atomically and never rewritten (their name is their content).
 */
export class AudioStore implements AudioSource {
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  static sha256(wav: Buffer): string {
    return createHash('sha256').update(wav).digest('hex');
  }

  path(sha256: string): string {
    if (!SHA.test(sha256)) throw new Error(`audio id '${sha256}' is not a SHA-256 hex digest`);
    return join(this.dir, `${sha256}.wav`);
  }

  /** Stores the file (once) and returns its id. */
  put(wav: Buffer): string {
    const sha = AudioStore.sha256(wav);
    const p = this.path(sha);
    if (!existsSync(p)) {
      const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, wav);
      renameSync(tmp, p);
    }
    return sha;
  }

  read(sha256: string): Buffer {
    const p = this.path(sha256);
    try {
      return readFileSync(p);
    } catch {
      throw new Error(`audio ${sha256} is not in ${this.dir} (${p} missing)`);
    }
  }
}
