/**
 * Parsing a ReAct user's reply (`Thought: …` then `User Response: …`) so that only the
 * response can reach the agent.
 *
 * τ-bench's parser can leak the thought: with no `User Response:` it sends everything after
 * `Thought:`, and a stray `###STOP###` in a thought ends the conversation. Ours:
 *
 * 1. `<think>…</think>` blocks are reasoning: removed (an unclosed `<think>` hides the rest of
 *    the text; an orphan `</think>` hides everything before it).
 * 2. A marker counts only at the start of a line (markdown decoration such as `**`, `#`, `>`
 *    or `-` allowed), so a thought that mentions "User Response:" mid-sentence is not one.
 * 3. The LAST `User Response:` marker wins: a model that drafts a response inside its thought
 *    and then writes the real one is read correctly.
 * 4. The response runs from that marker to the next line-start `Thought:` marker or the end.
 * 5. No marker, or an empty response, is a parse failure: the caller retries, then falls back
 *    to a fixed text. The raw text is never sent.
 *
 * Everything that is not the response is returned as the thought (for the record only).
 */

export type ReactParse = { ok: true; thought: string; response: string } | { ok: false; reason: string };

const DECOR = String.raw`[\s>#*_\-]*`;
const RESPONSE_MARKER = new RegExp(String.raw`^${DECOR}user[ _]?response${DECOR}:[*_]*\s*`, 'i');
const THOUGHT_MARKER = new RegExp(String.raw`^${DECOR}thought${DECOR}:[*_]*\s*`, 'i');

export function parseReactReply(raw: string): ReactParse {
  const text = withoutThinkBlocks(raw);
  const lines = text.split(/\r?\n/);
  let at = -1;
  lines.forEach((l, i) => {
    if (RESPONSE_MARKER.test(l)) at = i;
  });
  if (at < 0) return { ok: false, reason: 'no line-start "User Response:" marker' };
  let end = lines.length;
  for (let i = at + 1; i < lines.length; i++) {
    if (THOUGHT_MARKER.test(lines[i]!)) {
      end = i;
      break;
    }
  }
  const head = lines[at]!.replace(RESPONSE_MARKER, '');
  const response = [head, ...lines.slice(at + 1, end)].join('\n').trim();
  if (response === '') return { ok: false, reason: 'empty "User Response:"' };
  const thought = [...lines.slice(0, at), ...lines.slice(end)]
    .map((l) => l.replace(THOUGHT_MARKER, ''))
    .join('\n')
    .trim();
  return { ok: true, thought, response };
}

/** Removes `<think>` reasoning blocks (see rule 1 above). */
export function withoutThinkBlocks(raw: string): string {
  let s = raw;
  const close = s.indexOf('</think>');
  const firstOpen = s.indexOf('<think>');
  if (close >= 0 && (firstOpen < 0 || close < firstOpen)) s = s.slice(close + '</think>'.length);
  s = s.replace(/<think>[\s\S]*?<\/think>/g, '');
  const open = s.indexOf('<think>');
  if (open >= 0) s = s.slice(0, open);
  return s.replace(/<\/think>/g, '');
}
