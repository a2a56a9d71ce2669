import { parsePy } from '../py/parse.ts';
import { isDict, type PyDict } from '../py/value.ts';

/** The `name` of the text-format action that answers the user (τ-bench's RESPOND_ACTION_NAME). */
export const RESPOND = 'respond';

export type ParsedTextAction =
  | { ok: true; name: string; kwargs: PyDict; thought?: string }
  /** `raw` is the text after the last `Action:` (or the whole message), τ-bench's fallback reply. */
  | { ok: false; raw: string; reason: string; thought?: string };

/**
 * Reads an Act/ReAct step: an optional `Thought:` and an `Action:` followed by
 * `{"name": …, "arguments": {…}}`. Like τ-bench it takes the text after the last `Action:`;
 * beyond τ-bench it tolerates a Markdown code fence around the JSON and text after the closing
 * brace. It is strict where it matters: the action must be real JSON (single quotes, Python
 * literals or a trailing comma are not), `name` a string and `arguments` an object.
 */
export function parseTextAction(content: string): ParsedTextAction {
  const at = content.lastIndexOf('Action:');
  const raw = (at < 0 ? content : content.slice(at + 'Action:'.length)).trim();
  const thought = thoughtOf(content, at);
  const fail = (reason: string): ParsedTextAction => (thought === undefined ? { ok: false, raw, reason } : { ok: false, raw, reason, thought });
  if (at < 0) return fail('no "Action:" in the message');
  const unfenced = raw.replace(/^```[A-Za-z0-9_-]*[ \t]*\r?\n?/, '');
  if (!unfenced.startsWith('{')) return fail('the action is not a JSON object');
  const end = objectEnd(unfenced);
  if (end < 0) return fail('the action JSON object is not closed');
  let value;
  try {
    value = parsePy(unfenced.slice(0, end));
  } catch (e) {
    return fail(`the action is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!isDict(value)) return fail('the action is not a JSON object');
  const name = value.get('name');
  const args = value.get('arguments');
  if (typeof name !== 'string') return fail('the action has no string "name"');
  if (!isDict(args)) return fail('the action has no object "arguments"');
  if (name === RESPOND && typeof args.get('content') !== 'string') return fail('the respond action has no string "content"');
  return thought === undefined ? { ok: true, name, kwargs: args } : { ok: true, name, kwargs: args, thought };
}

function thoughtOf(content: string, actionAt: number): string | undefined {
  const head = actionAt < 0 ? content : content.slice(0, actionAt);
  const t = head.indexOf('Thought:');
  return t < 0 ? undefined : head.slice(t + 'Thought:'.length).trim();
}

/**
 * Index just past the `}` that closes the object opening at 0, honouring JSON strings and
 * escapes; -1 when it never closes. Lets trailing prose or a closing fence follow the JSON.
 */
function objectEnd(s: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}
