import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseVoiceSpec, voiceConfigSchema, type VoiceConfigInput } from '../src/voice/config.ts';
import { mixNoise, power, resample, rmsDbfs } from '../src/voice/dsp.ts';
import type { TtsEngine, VoiceParams } from '../src/voice/engine.ts';
import { EspeakEngine } from '../src/voice/espeak.ts';
import { episodeModality } from '../src/voice/modality.ts';
import { AudioStore } from '../src/voice/store.ts';
import { Voice } from '../src/voice/voice.ts';
import { checkWav, encodeWav, parseWav, toMonoFloat } from '../src/voice/wav.ts';
import { TtsServer } from './support/tts-server.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tarl-voice-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const voice = (cfg: VoiceConfigInput = {}, engine?: TtsEngine): Voice => new Voice(voiceConfigSchema.parse({ cacheDir: tmp(), ...cfg }), engine);
const SAY = 'Hello, I would like to cancel order number four one two.';
const P: VoiceParams = { voice: 'en-us', rate: 175, pitch: 50 };

describe('espeak-ng WAVs', () => {
  it('are valid: exact header, the configured rate, not silent, a plausible length', async () => {
    for (const sampleRate of [16000, 8000, 24000]) {
      const v = voice({ sampleRate });
      const u = await v.speak(SAY, P, 'n');
      const w = checkWav(u.wav, 'utterance'); // RIFF and data sizes equal the bytes present
      expect(w.sampleRate).toBe(sampleRate);
      expect(w.channels).toBe(1);
      expect(w.declaredDataBytes).toBe(u.wav.length - 44);
      expect(rmsDbfs(toMonoFloat(w))).toBeGreaterThan(-35);
      expect(u.ref).toMatchObject({ format: 'wav', sampleRate, bytes: u.wav.length, sha256: AudioStore.sha256(u.wav) });
      expect(u.ref.durationS).toBeGreaterThan(1.5);
      expect(u.ref.durationS).toBeLessThan(8);
    }
  });

  it('the engine writes files with -w whose header is exact; --stdout would not be', async () => {
    const raw = await new EspeakEngine().synthesize('testing one two', P);
    const w = checkWav(raw, 'espeak-ng -w');
    expect(w.sampleRate).toBe(22050);
    const piped = spawnSync('espeak-ng', ['--stdout', 'testing one two']).stdout;
    expect(() => checkWav(piped, 'espeak-ng --stdout')).toThrow(/declares/);
  });

  it('cache: a second utterance of the same (engine, version, voice, rate, pitch, text) is not synthesised again', async () => {
    const v = voice();
    const a = await v.speak(SAY, P, 'n');
    const b = await v.speak(SAY, P, 'n');
    expect(a.cached).toBe(false);
    expect(b.cached).toBe(true);
    expect(v.counters).toEqual({ synthesized: 1, cacheHits: 1 });
    expect(b.wav.equals(a.wav)).toBe(true);
    // Any key field changes the entry.
    await v.speak(SAY, { ...P, pitch: 60 }, 'n');
    await v.speak(SAY, { ...P, rate: 150 }, 'n');
    await v.speak(SAY, { ...P, voice: 'en-gb' }, 'n');
    await v.speak(`${SAY}!`, P, 'n');
    expect(v.counters.synthesized).toBe(5);
    expect(readdirSync(v.cache.dir).length).toBeGreaterThan(0);
  });

  it('cache entries are keyed by the engine version', async () => {
    let calls = 0;
    const fake = (version: string): TtsEngine => ({
      name: 'fake', hasPitch: true, version: () => Promise.resolve(version),
      synthesize: () => {
        calls++;
        return Promise.resolve(encodeWav(Int16Array.from({ length: 1600 }, (_, i) => Math.round(3000 * Math.sin(i / 3))), 16000));
      },
    });
    const dir = tmp();
    await voice({ cacheDir: dir }, fake('1.0')).speak('x', P, 'n');
    await voice({ cacheDir: dir }, fake('1.0')).speak('x', P, 'n');
    await voice({ cacheDir: dir }, fake('1.1')).speak('x', P, 'n');
    expect(calls).toBe(2);
  });

  it('noise is mixed at the set SNR, seeded', async () => {
    const clean = toMonoFloat(parseWav((await voice().speak(SAY, P, 'n')).wav));
    for (const snr of [0, 10, 20]) {
      const noisy = toMonoFloat(parseWav((await voice({ snrDb: snr }).speak(SAY, P, 'turn-1')).wav));
      const noise = noisy.map((x, i) => x - clean[i]!);
      expect(10 * Math.log10(power(clean) / power(noise))).toBeCloseTo(snr, 0);
    }
    const x = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 5));
    expect(mixNoise(x, 10, 'a')).toEqual(mixNoise(x, 10, 'a'));
    expect(mixNoise(x, 10, 'a')).not.toEqual(mixNoise(x, 10, 'b'));
  });

  it('a missing espeak-ng is an error that names the install command', async () => {
    const v = voice({ binary: '/nonexistent/espeak-ng' });
    await expect(v.speak('hi', P, 'n')).rejects.toThrow(/espeak-ng not found.*apt-get install espeak-ng/);
  });
});

describe('voice variation and modality', () => {
  it('an episode keeps one seeded voice; episodes differ in voice, rate and pitch within the jitter', () => {
    const v = voice({ rate: 175, rateJitter: 20, pitch: 50, pitchJitter: 15 });
    expect(v.variation(7)).toEqual(v.variation(7));
    const all = Array.from({ length: 200 }, (_, s) => v.variation(s));
    expect(new Set(all.map((p) => p.voice)).size).toBe(v.voices.length);
    expect(new Set(all.map((p) => p.rate)).size).toBeGreaterThan(20);
    for (const p of all) {
      expect(Math.abs(p.rate - 175)).toBeLessThanOrEqual(20);
      expect(Math.abs(p.pitch! - 50)).toBeLessThanOrEqual(15);
    }
  });

  it('mixed respects its ratio over many seeded episodes', () => {
    for (const ratio of [0, 0.25, 0.5, 1]) {
      const n = 4000;
      const speech = Array.from({ length: n }, (_, s) => episodeModality(s * 7919 + 13, 'mixed', ratio)).filter((m) => m === 'speech').length;
      // Within 4 standard deviations of a binomial(n, ratio).
      expect(Math.abs(speech / n - ratio)).toBeLessThanOrEqual(4 * Math.sqrt((ratio * (1 - ratio)) / n) + 1e-9);
    }
    expect(episodeModality(5, 'mixed', 0.5)).toBe(episodeModality(5, 'mixed', 0.5));
    expect(episodeModality(5, 'speech', 0)).toBe('speech');
    expect(episodeModality(5, 'text', 1)).toBe('text');
  });

  it('--voice specs parse, and bad ones name the key', () => {
    expect(parseVoiceSpec('espeak-ng:voices=en-us|en-gb,rate=160,snr=20,send_transcript=true')).toEqual({ engine: 'espeak-ng', voices: ['en-us', 'en-gb'], rate: 160, snrDb: 20, sendTranscript: true });
    expect(() => parseVoiceSpec('espeak-ng:rat=1')).toThrow(/unknown key 'rat'/);
    expect(() => parseVoiceSpec('espeak-ng:rate=fast')).toThrow(/rate must be a number/);
    expect(() => parseVoiceSpec('openai:model=tts-1')).toThrow(/baseUrl/);
    expect(() => parseVoiceSpec('festival')).toThrow(/unknown engine 'festival'/);
  });
});

describe('resampling', () => {
  it('keeps a tone\'s frequency and amplitude (22,050 → 16,000 Hz)', () => {
    const x = Float32Array.from({ length: 22050 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 22050));
    const y = resample(x, 22050, 16000);
    expect(y.length).toBe(16000);
    let err = 0;
    for (let i = 200; i < 15800; i++) err = Math.max(err, Math.abs(y[i]! - 0.5 * Math.sin((2 * Math.PI * 1000 * i) / 16000)));
    expect(err).toBeLessThan(0.01);
  });

  it('removes what the lower rate cannot hold (7 kHz at 22,050 → 8,000 Hz)', () => {
    const x = Float32Array.from({ length: 22050 }, (_, i) => 0.5 * Math.sin((2 * Math.PI * 7000 * i) / 22050));
    const y = resample(x, 22050, 8000).slice(200, -200);
    expect(rmsDbfs(y)).toBeLessThan(-40);
  });
});

describe('OpenAI-compatible /v1/audio/speech', () => {
  it('sends model, input, voice, wav and speed; normalises a streamed WAV to the configured rate', async () => {
    const server = await TtsServer.start();
    try {
      expect(() => voice({ engine: 'openai', baseUrl: server.baseUrl, apiKeyEnv: 'TARL_TEST_TTS_KEY' })).toThrow(/TARL_TEST_TTS_KEY is not set/);
      process.env.TARL_TEST_TTS_KEY = 'sk-tts';
      const v2 = voice({ engine: 'openai', baseUrl: server.baseUrl, model: 'tts-test', apiKeyEnv: 'TARL_TEST_TTS_KEY' });
      expect(v2.voices).toContain('alloy');
      server.failures = [503];
      const u = await v2.speak('Hello there', { voice: 'nova', rate: 210, pitch: null }, 'n');
      expect(server.requests).toHaveLength(2); // one 503, retried
      expect(server.requests[1]!.body).toEqual({ model: 'tts-test', input: 'Hello there', voice: 'nova', response_format: 'wav', speed: 1.2 });
      expect(server.requests[1]!.headers.authorization).toBe('Bearer sk-tts');
      const w = checkWav(u.wav, 'normalised');
      expect(w.sampleRate).toBe(16000);
      expect(u.ref.durationS).toBeCloseTo(0.55, 2);
      expect(v2.variation(1).pitch).toBeNull();
      const again = await v2.speak('Hello there', { voice: 'nova', rate: 210, pitch: null }, 'n');
      expect(again.cached).toBe(true);
      expect(server.requests).toHaveLength(2);
      server.failures = [400];
      await expect(v2.speak('Bad', { voice: 'nova', rate: 175, pitch: null }, 'n')).rejects.toThrow(/HTTP 400/);
      expect(server.requests).toHaveLength(3); // a 400 is not retried
    } finally {
      delete process.env.TARL_TEST_TTS_KEY;
      await server.close();
    }
  });
});
