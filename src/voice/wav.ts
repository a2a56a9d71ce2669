/**
 * RIFF/WAVE files of 16-bit PCM: what every voice engine here produces and what the trainer
 * service reads. `encodeWav` writes the canonical 44-byte header; `parseWav` reads any PCM16
 * file (extra chunks skipped) and reports the header's declared sizes beside the real ones, so a
 * caller can refuse a file whose header lies (espeak-ng's `--stdout` writes 0x7FFFFFFF-ish sizes
 * because it cannot seek back; its `-w FILE` output is correct, and is what we use).
 */

export interface Wav {
  sampleRate: number;
  channels: number;
  /** Interleaved PCM16 samples of every channel. */
  samples: Int16Array;
  /** Byte length the `data` chunk header declares. */
  declaredDataBytes: number;
  /** Byte length the `RIFF` header declares (file length − 8 when honest). */
  declaredRiffBytes: number;
  /** Bytes of sample data actually present after the `data` chunk header. */
  dataBytes: number;
}

export class WavError extends Error {
  constructor(what: string, message: string) {
    super(`${what}: ${message}`);
    this.name = 'WavError';
  }
}

/** A mono or interleaved PCM16 WAV file with an exact header. */
export function encodeWav(samples: Int16Array, sampleRate: number, channels = 1): Buffer {
  const dataBytes = samples.length * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(channels, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * channels * 2, 28);
  buf.writeUInt16LE(channels * 2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) buf.writeInt16LE(samples[i]!, 44 + 2 * i);
  return buf;
}

/**
 * Reads a PCM16 WAV. `lenient` accepts a `data` size larger than the file (streamed output
 * whose header could not be patched) and takes the bytes present; otherwise that is an error.
 * `what` names the file in errors.
 */
export function parseWav(buf: Buffer, what = 'wav', lenient = false): Wav {
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw new WavError(what, 'not a RIFF/WAVE file');
  const declaredRiffBytes = buf.readUInt32LE(4);
  let at = 12;
  let fmt: { format: number; channels: number; sampleRate: number; bits: number } | undefined;
  while (at + 8 <= buf.length) {
    const id = buf.toString('ascii', at, at + 4);
    const size = buf.readUInt32LE(at + 4);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw new WavError(what, `fmt chunk of ${size} bytes is too short`);
      let format = buf.readUInt16LE(body);
      // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
      if (format === 0xfffe && size >= 40) format = buf.readUInt16LE(body + 24);
      fmt = { format, channels: buf.readUInt16LE(body + 2), sampleRate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw new WavError(what, 'data chunk before fmt chunk');
      if (fmt.format !== 1 || fmt.bits !== 16) throw new WavError(what, `only 16-bit PCM is read (format ${fmt.format}, ${fmt.bits} bits)`);
      if (fmt.channels < 1 || fmt.sampleRate < 1) throw new WavError(what, `bad fmt: ${fmt.channels} channels at ${fmt.sampleRate} Hz`);
      const present = buf.length - body;
      if (size > present && !lenient) throw new WavError(what, `data chunk declares ${size} bytes but ${present} follow`);
      const dataBytes = Math.min(size, present) - (Math.min(size, present) % (2 * fmt.channels));
      const samples = new Int16Array(dataBytes / 2);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + 2 * i);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples, declaredDataBytes: size, declaredRiffBytes, dataBytes };
    }
    at = body + size + (size % 2); // chunks are word-aligned
  }
  throw new WavError(what, 'no data chunk');
}

/**
 * Checks that a WAV file's header is exact (RIFF size = file length − 8, data size = the bytes
 * that follow) and returns it parsed; throws a WavError naming `what` otherwise.
 */
export function checkWav(buf: Buffer, what = 'wav'): Wav {
  const w = parseWav(buf, what);
  if (w.declaredRiffBytes !== buf.length - 8) throw new WavError(what, `RIFF header declares ${w.declaredRiffBytes} bytes, the file has ${buf.length - 8} after it`);
  if (w.declaredDataBytes !== w.dataBytes) throw new WavError(what, `data chunk declares ${w.declaredDataBytes} bytes, ${w.dataBytes} are present`);
  return w;
}

/** The first channel's samples scaled to [−1, 1) (other channels are averaged in). */
export function toMonoFloat(w: Wav): Float32Array {
  const n = w.samples.length / w.channels;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let c = 0; c < w.channels; c++) s += w.samples[i * w.channels + c]!;
    out[i] = s / w.channels / 32768;
  }
  return out;
}

/** Float samples back to PCM16, rounded and clipped. */
export function toPcm16(x: Float32Array): Int16Array {
  const out = new Int16Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(x[i]! * 32768)));
  return out;
}

/** Duration in seconds of a parsed WAV. */
export const wavSeconds = (w: Wav): number => w.samples.length / w.channels / w.sampleRate;
