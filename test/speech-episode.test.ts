import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OracleAgent } from '../src/agents/oracle.ts';
import { ToolCallingAgent } from '../src/agents/tool-calling.ts';
import { buildSuite } from '../src/bench/episodes.ts';
import { getDomain } from '../src/domains/registry.ts';
import { runEpisode } from '../src/episode/run-episode.ts';
import { runEpisodes } from '../src/episode/run-many.ts';
import { ChatClient } from '../src/llm/client.ts';
import { toolDefinition } from '../src/sandbox/tool-schema.ts';
import { ScriptedUser } from '../src/users/scripted.ts';
import { voiceConfigSchema, type Modality } from '../src/voice/config.ts';
import { episodeModality } from '../src/voice/modality.ts';
import { SpeakingUser } from '../src/voice/speaking-user.ts';
import { AudioStore } from '../src/voice/store.ts';
import { Voice } from '../src/voice/voice.ts';
import { checkWav } from '../src/voice/wav.ts';
import { ScriptedLlmServer, text, toolCall } from './support/llm-server.ts';

const dirs: string[] = [];
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'tarl-speech-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const suite = buildSuite('starter', 24, 7, { kinds: ['cancel_order', 'order_status'], singleRequest: true });
const tools = getDomain('starter').tools.map(toolDefinition);
const voice = new Voice(voiceConfigSchema.parse({ rate: 260, rateJitter: 10 }));
const speaking = (store: AudioStore, modality: Modality, ratio = 1): SpeakingUser => new SpeakingUser(new ScriptedUser(), voice, store, modality, ratio);

type Part = { type: string; text?: string; input_audio?: { data: string; format: string } };
type Msg = { role: string; content: string | Part[] | null };

async function speechEpisode(sendTranscript: boolean) {
  const store = new AudioStore(join(tmp(), 'audio'));
  const server = await ScriptedLlmServer.start([text('Which order is it?'), toolCall('get_order', { order_id: '#1' }), text('Sorry, I cannot do that.')]);
  try {
    const agent = new ToolCallingAgent(new ChatClient({ model: 'm', baseUrl: server.baseUrl }));
    const task = suite.tasks[0]!;
    const t = await runEpisode({
      task, template: suite.template, verifier: suite.verifier, agent, user: speaking(store, 'speech'), policy: 'Be helpful.', tools, trial: 0, seed: 11, maxSteps: 3,
      audio: { source: store, sendTranscript },
    });
    return { t, store, bodies: server.bodies.map((b) => b.messages as Msg[]) };
  } finally {
    await server.close();
  }
}

describe('a speech episode', () => {
  it('sends each user turn as an input_audio part (base64 WAV of the stored file); tool outputs stay text', async () => {
    const { t, store, bodies } = await speechEpisode(false);
    expect(t.error).toBeUndefined();
    expect(t.modality).toBe('speech');
    expect(t.voice).toMatchObject({ engine: 'espeak-ng', sampleRate: 16000, snrDb: null });
    expect(bodies).toHaveLength(3);
    const users = t.messages.filter((m) => m.role === 'user');
    expect(users.length).toBeGreaterThanOrEqual(2);
    for (const [i, body] of bodies.entries()) {
      const sent = body.filter((m) => m.role === 'user');
      expect(sent).toHaveLength(i === 2 ? 2 : i + 1);
      sent.forEach((m, j) => {
        const rec = users[j]!;
        if (rec.role !== 'user' || !rec.audio) throw new Error('recorded user turn has no audio');
        expect(m.content).toEqual([{ type: 'input_audio', input_audio: { data: expect.any(String), format: 'wav' } }]);
        const wav = Buffer.from((m.content as Part[])[0]!.input_audio!.data, 'base64');
        expect(wav.equals(readFileSync(store.path(rec.audio.sha256)))).toBe(true);
        expect(AudioStore.sha256(wav)).toBe(rec.audio.sha256);
        expect(checkWav(wav).sampleRate).toBe(16000);
        expect(rec.content.length).toBeGreaterThan(3); // the transcript stays in the record
      });
    }
    // The tool's observation reaches the model as text.
    const tool = bodies[2]!.find((m) => m.role === 'tool')!;
    expect(typeof tool.content).toBe('string');
    // A stopping reply ends the episode unheard, so it is not synthesised.
    const spoken = users.filter((m) => m.role === 'user' && m.audio);
    expect(users.slice(0, -1).every((m) => m.role === 'user' && m.audio)).toBe(true);
    expect(t.userStats).toMatchObject({ tts_turns: spoken.length });
    expect(t.userStats!.audio_bytes).toBe(spoken.reduce((a, m) => a + (m.role === 'user' && m.audio ? m.audio.bytes : 0), 0));
    // Records carry references, never the audio: no base64 WAV ("UklGR" = "RIFF") in the JSON line.
    const line = JSON.stringify(t);
    expect(line).not.toContain('UklGR');
    expect(line.length).toBeLessThan(20_000);
    expect(readdirSync(store.dir).sort()).toEqual([...new Set(spoken.map((m) => (m.role === 'user' ? `${m.audio!.sha256}.wav` : '')))].sort());
  });

  it('sends the transcript too when configured', async () => {
    const { t, bodies } = await speechEpisode(true);
    const first = t.messages[1]!;
    expect(bodies[0]![1]!.content).toEqual([
      { type: 'input_audio', input_audio: { data: expect.any(String), format: 'wav' } },
      { type: 'text', text: first.content },
    ]);
  });

  it('a spoken turn with no audio source is an error, not a silent text fallback', async () => {
    const store = new AudioStore(join(tmp(), 'audio'));
    const server = await ScriptedLlmServer.start([text('Hello')]);
    try {
      const agent = new ToolCallingAgent(new ChatClient({ model: 'm', baseUrl: server.baseUrl }));
      const t = await runEpisode({ task: suite.tasks[0]!, template: suite.template, verifier: suite.verifier, agent, user: speaking(store, 'speech'), policy: '', tools, trial: 0, seed: 1, maxSteps: 1 });
      expect(t.termination).toBe('error');
      expect(t.error).toMatch(/messages\[1\] is a spoken user turn .* no audio source/);
      expect(server.bodies).toHaveLength(0);
    } finally {
      await server.close();
    }
  });
});

describe('mixed modality', () => {
  it('draws each episode from its seed; text episodes carry no audio; the same utterance is stored once', async () => {
    const store = new AudioStore(join(tmp(), 'audio'));
    const specs = [0, 1].flatMap((trial) =>
      suite.tasks.map((task, i) => ({
        task, template: suite.template, verifier: suite.verifier, agent: new OracleAgent(), user: speaking(store, 'mixed', 0.5), policy: '', tools: [], trial,
        seed: 1000 + i, // both trials of a task share the seed: same modality, voice and words
      })),
    );
    const out = await runEpisodes(specs, { concurrency: 4 });
    const speech = out.filter((t) => t.modality === 'speech');
    expect(out.every((t) => t.modality === episodeModality(t.seed, 'mixed', 0.5))).toBe(true);
    expect(speech.length).toBeGreaterThan(0);
    expect(speech.length).toBeLessThan(out.length);
    expect(out.filter((t) => t.reward === 1).length).toBe(out.length); // the oracle still succeeds on transcripts
    for (const t of out) {
      const spoken = t.messages.filter((m) => m.role === 'user' && m.audio).length;
      if (t.modality === 'text') expect(spoken).toBe(0);
      else expect(spoken).toBe(t.userStats!.tts_turns);
    }
    const shas = new Set(speech.flatMap((t) => t.messages.flatMap((m) => (m.role === 'user' && m.audio ? [m.audio.sha256] : []))));
    expect(readdirSync(store.dir)).toHaveLength(shas.size);
  });
});
