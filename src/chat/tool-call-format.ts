import { dumps } from '../py/dumps.ts';
import { parsePy } from '../py/parse.ts';
import { isDict } from '../py/value.ts';

/**
 * The tool-call format of our chat renderer (trainer/chat_format.py), read back from a sampled
 * completion: `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>`, any number of them,
 * text around them kept as the reply content. This is the TypeScript twin of
 * `parse_completion` in the trainer; both are checked against the same golden cases
 * (trainer/tests/golden/tool_calls.json), so an episode reads a completion exactly as the
 * service's chat facade would.
 *
 * `arguments` is JSON text as Python's `json.dumps` writes it (the object re-serialised; a string
 * argument kept as is), so int vs float and key order survive. A block that is not a JSON object
 * with a string `name` stays in the content and makes `parsed` false, as does an unmatched tag.
 *
 * Worked example: `Sure.<tool_call>\n{"name": "get_order", "arguments": {"order_id": "#412"}}\n</tool_call><|im_end|>`
 *   → content "Sure.", toolCalls [{name: "get_order", arguments: '{"order_id": "#412"}'}], parsed true.
 */
export interface ParsedToolCall {
  name: string;
  arguments: string;
}

export interface ParsedCompletion {
  content: string | null;
  toolCalls: ParsedToolCall[];
  parsed: boolean;
}

const END = '<|im_end|>';
const OPEN = '<tool_call>';
const CLOSE = '</tool_call>';
const CALL = /<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/g;

function readCall(body: string): ParsedToolCall | null {
  let obj;
  try {
    obj = parsePy(body);
  } catch {
    return null;
  }
  if (!isDict(obj)) return null;
  const name = obj.get('name');
  if (typeof name !== 'string') return null;
  const args = obj.has('arguments') ? obj.get('arguments')! : new Map();
  if (typeof args !== 'string' && !isDict(args)) return null;
  return { name, arguments: typeof args === 'string' ? args : dumps(args) };
}

export function parseCompletionText(raw: string): ParsedCompletion {
  const text = raw.endsWith(END) ? raw.slice(0, -END.length) : raw;
  const toolCalls: ParsedToolCall[] = [];
  const kept: string[] = [];
  let parsed = true;
  let last = 0;
  for (const m of text.matchAll(CALL)) {
    const call = readCall(m[1]!);
    if (!call) {
      parsed = false;
      continue;
    }
    toolCalls.push(call);
    kept.push(text.slice(last, m.index));
    last = m.index + m[0].length;
  }
  kept.push(text.slice(last));
  const content = kept.join('').trim();
  // Tags left over once every well-formed block is cut out: an unclosed or stray tag.
  const rest = text.replace(CALL, '');
  if (rest.includes(OPEN) || rest.includes(CLOSE)) parsed = false;
  return { content: content === '' ? null : content, toolCalls, parsed };
}
