import type { ChatMessage } from '../chat/messages.ts';
import type { RenderMessage } from '../trainer/types.ts';
import type { AudioInput } from './wire.ts';

/**
 * Messages for the trainer service's renderer: a spoken user turn names its WAV by path (the
 * service reads it) and carries its transcript only when the run sends transcripts. A spoken turn
 * with no audio source is an error (never rendered as text behind the caller's back).
 */
export function toRenderMessages(messages: readonly ChatMessage[], audio: AudioInput | undefined): RenderMessage[] {
  return messages.map((m, i): RenderMessage => {
    if (m.role !== 'user') return m;
    if (!m.audio) return { role: 'user', content: m.content };
    if (!audio) throw new Error(`messages[${i}] is a spoken user turn (audio ${m.audio.sha256.slice(0, 12)}…) but there is no audio source to render it from`);
    return { role: 'user', content: audio.sendTranscript ? m.content : '', audio: { path: audio.source.path(m.audio.sha256), sha256: m.audio.sha256 } };
  });
}
