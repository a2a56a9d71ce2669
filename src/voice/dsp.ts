import { Rng } from '../generate/prng.ts';

/**
 * Band-limited resampling by a Hann-windowed sinc (a polyphase filter evaluated directly): the
 * output sample at time t is Σ_k x[k]·h(t·fs_in − k), with the cutoff at the lower of the two
 * Nyquist frequencies so downsampling does not alias. `halfTaps` zero crossings on each side
 * (16 by default: > 60 dB stop band, ~2 M multiply-adds per second of 16 kHz output).
 */
export function resample(x: Float32Array, from: number, to: number, halfTaps = 16): Float32Array {
  if (from === to) return x.slice();
  if (!(from > 0 && to > 0)) throw new Error(`resample: rates must be positive (got ${from} → ${to})`);
  const n = Math.floor((x.length * to) / from);
  const out = new Float32Array(n);
  const fc = Math.min(1, to / from); // cutoff as a fraction of the input Nyquist
  const width = halfTaps / fc; // half-width of the filter in input samples
  for (let i = 0; i < n; i++) {
    const t = (i * from) / to;
    const lo = Math.max(0, Math.ceil(t - width));
    const hi = Math.min(x.length - 1, Math.floor(t + width));
    let acc = 0;
    for (let k = lo; k <= hi; k++) {
      const d = t - k;
      const arg = Math.PI * fc * d;
      const sinc = arg === 0 ? 1 : Math.sin(arg) / arg;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * d) / width);
      acc += x[k]! * fc * sinc * w;
    }
    out[i] = acc;
  }
  return out;
}

/** Mean power (mean square) of a signal. */
export function power(x: Float32Array): number {
  let s = 0;
  for (const v of x) s += v * v;
  return x.length ? s / x.length : 0;
}

/** Root mean square in dBFS (−∞ for silence). */
export function rmsDbfs(x: Float32Array): number {
  return 10 * Math.log10(power(x));
}

/**
 * Adds seeded white Gaussian noise at `snrDb` = 10·log10(P_signal / P_noise), with P_signal the
 * mean power of the whole utterance (the signal's pauses included). Returns a new array.
 */
export function mixNoise(x: Float32Array, snrDb: number, seed: string): Float32Array {
  const p = power(x);
  const out = new Float32Array(x.length);
  if (p === 0) return out;
  const sigma = Math.sqrt(p / 10 ** (snrDb / 10));
  const rng = new Rng(seed);
  for (let i = 0; i < x.length; i += 2) {
    // Box–Muller: two independent N(0, 1) draws per pair of samples.
    const u = Math.max(rng.float(), 1e-12);
    const r = Math.sqrt(-2 * Math.log(u)) * sigma;
    const th = 2 * Math.PI * rng.float();
    out[i] = x[i]! + r * Math.cos(th);
    if (i + 1 < x.length) out[i + 1] = x[i + 1]! + r * Math.sin(th);
  }
  return out;
}
