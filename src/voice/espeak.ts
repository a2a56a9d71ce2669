import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Gate, VoiceError, type TtsEngine, type VoiceParams } from './engine.ts';

export const ESPEAK_INSTALL = 'install it with `apt-get install espeak-ng` (Debian/Ubuntu; `npm test` does this when run as root) or `brew install espeak-ng` (macOS)';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(binary: string, args: string[], input: string | null, signal?: AbortSignal): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'], ...(signal && { signal }) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') reject(new VoiceError(`espeak-ng not found (looked for '${binary}'): ${ESPEAK_INSTALL}`));
      else reject(e);
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.on('error', () => undefined); // a child that exits early closes its stdin
    child.stdin.end(input ?? '');
  });
}

/**
 * The local default: espeak-ng, one process per utterance, the text on stdin (so no text is ever
 * read as an option), written with `-w FILE` (its `--stdout` header carries a bogus length).
 * espeak-ng writes 22,050 Hz mono PCM16; the Voice layer resamples.
 */
export class EspeakEngine implements TtsEngine {
  readonly name = 'espeak-ng';
  readonly hasPitch = true;
  private versionText: Promise<string> | undefined;
  private readonly gate: Gate;

  constructor(
    private readonly binary = 'espeak-ng',
    concurrency = 2,
  ) {
    this.gate = new Gate(concurrency);
  }

  version(): Promise<string> {
    this.versionText ??= run(this.binary, ['--version'], null).then((r) => {
      const m = /(\d+\.\d+(?:\.\d+)?)/.exec(r.stdout);
      if (r.code !== 0 || !m) throw new VoiceError(`'${this.binary} --version' did not report a version (exit ${r.code}): ${(r.stdout + r.stderr).trim()}`);
      return m[1]!;
    });
    return this.versionText;
  }

  async synthesize(text: string, p: VoiceParams, signal?: AbortSignal): Promise<Buffer> {
    if (text.trim() === '') throw new VoiceError('espeak-ng: nothing to say (empty text)');
    return this.gate.run(async () => {
      const file = join(tmpdir(), `tarl-tts-${process.pid}-${randomBytes(6).toString('hex')}.wav`);
      try {
        const args = ['-v', p.voice, '-s', String(Math.round(p.rate)), '-p', String(Math.round(p.pitch ?? 50)), '-w', file];
        const r = await run(this.binary, args, text, signal);
        if (r.code !== 0) throw new VoiceError(`espeak-ng failed (exit ${r.code}, voice '${p.voice}'): ${r.stderr.trim() || r.stdout.trim()}`);
        return await readFile(file).catch(() => {
          throw new VoiceError(`espeak-ng wrote no file for voice '${p.voice}' (${r.stderr.trim()})`);
        });
      } finally {
        await rm(file, { force: true });
      }
    });
  }
}
