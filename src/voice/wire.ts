import type { ChatMessage } from '../chat/messages.ts';
import type { AudioSource } from './store.ts';

/** What an agent needs to send spoken user turns to its model. */
export interface AudioInput {
  source: AudioSource;
  /** Also send the transcript as a text part after the audio. */
  sendTranscript: boolean;
}

/** OpenAI's user content parts: text, and audio as base64 WAV (`input_audio`). */
export type ContentPart = { type: 'text'; text: string } | { type: 'input_audio'; input_audio: { data: string; format: 'wav' } };

/** A chat message as sent over the wire: spoken user turns become content-part lists. */
export type WireMessage = Exclude<ChatMessage, { role: 'user' }> | { role: 'user'; content: string | ContentPart[] };

/**
 * The request messages for an OpenAI-compatible server: each user message with `audio` becomes
 * `[{type: "input_audio", input_audio: {data: <base64 WAV>, format: "wav"}}]`, followed by
 * `{type: "text", text: <transcript>}` when `sendTranscript`. Messages without audio are passed
 * as they are (a text-only conversation is returned unchanged, the same array). A spoken
 * message with no `audio` source to read it from is an error: the audio is never dropped silently.
 */
export function wireMessages(messages: readonly ChatMessage[], audio: AudioInput | undefined): readonly (ChatMessage | WireMessage)[] {
  if (!messages.some((m) => m.role === 'user' && m.audio)) return messages;
  return messages.map((m, i): ChatMessage | WireMessage => {
    if (m.role !== 'user' || !m.audio) return m;
    if (!audio) throw new Error(`messages[${i}] is a spoken user turn (audio ${m.audio.sha256.slice(0, 12)}…) but the request has no audio source to read it from`);
    const parts: ContentPart[] = [{ type: 'input_audio', input_audio: { data: audio.source.read(m.audio.sha256).toString('base64'), format: 'wav' } }];
    if (audio.sendTranscript) parts.push({ type: 'text', text: m.content });
    return { role: 'user', content: parts };
  });
}
