/**
 * The tool-call format of our chat renderer (trainer/chat_format.py), read back from a sampled
 * completion: `<tool_call>\n{"name": …, "arguments": {…}}\n</tool_call>`, any number of them,
 * the text around them kept as the reply. This is the TypeScript twin of the service's
 * `parse_completion`; both are checked against the same golden cases
 * (trainer/tests/golden/tool_calls.json, whose pytest states the rules), so an episode reads a
 * completion exactly as the service's chat facade would.
 *
 * `arguments` is the object's exact source text as the model wrote it (spacing, number spelling
 * and escapes kept: the arguments the tool sees are the ones sampled), a string argument's value,
 * or "{}" when absent. A block that is not a call stays in the content verbatim and makes
 * `parsed` false, as does an unclosed or stray tag.
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
const CALL = /<tool_call>\s*([\s\S]*?)\s*<\/tool_call>/g;
const WS = new Set([' ', '\t', '\n', '\r']);

/** End (exclusive) of the JSON string whose opening quote is at `i`. */
function stringEnd(s: string, i: number): number {
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\') j++;
    else if (s[j] === '"') return j + 1;
  }
  return s.length;
}

/** End (exclusive) of the JSON value starting at `i` (the text is known to be valid JSON). */
function valueEnd(s: string, i: number): number {
  const c = s[i];
  if (c === '"') return stringEnd(s, i);
  if (c === '{' || c === '[') {
    let depth = 0;
    for (let j = i; j < s.length; j++) {
      const d = s[j];
      if (d === '"') j = stringEnd(s, j) - 1;
      else if (d === '{' || d === '[') depth++;
      else if (d === '}' || d === ']') if (--depth === 0) return j + 1;
    }
    return s.length;
  }
  let j = i;
  while (j < s.length && !WS.has(s[j]!) && s[j] !== ',' && s[j] !== '}' && s[j] !== ']') j++;
  return j;
}

/** A JSON object's members as key → value and the value's exact source text; null when not one object. */
function members(text: string): Map<string, { value: unknown; raw: string }> | null {
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return null;
  const raw = new Map<string, string>();
  let i = 0;
  while (WS.has(text[i]!)) i++;
  i++; // past "{"
  for (;;) {
    while (WS.has(text[i]!) || text[i] === ',') i++;
    if (text[i] === '}' || i >= text.length) break;
    const keyEnd = stringEnd(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    i = keyEnd;
    while (WS.has(text[i]!) || text[i] === ':') i++;
    const end = valueEnd(text, i);
    raw.set(key, text.slice(i, end)); // a repeated key keeps its last value, as JSON.parse does
    i = end;
  }
  const values = obj as Record<string, unknown>;
  return new Map([...raw].map(([k, r]) => [k, { value: values[k], raw: r }]));
}

function readCall(body: string): ParsedToolCall | null {
  const m = members(body);
  const name = m?.get('name')?.value;
  if (!m || typeof name !== 'string') return null;
  const args = m.get('arguments');
  if (!args) return { name, arguments: '{}' };
  if (typeof args.value === 'string') return { name, arguments: args.value };
  if (typeof args.value === 'object' && args.value !== null && !Array.isArray(args.value)) return { name, arguments: args.raw };
  return null;
}

export function parseCompletionText(raw: string): ParsedCompletion {
  const text = raw.endsWith(END) ? raw.slice(0, -END.length) : raw;
  const toolCalls: ParsedToolCall[] = [];
  const content: string[] = [];
  const outside: string[] = [];
  let parsed = true;
  let last = 0;
  for (const m of text.matchAll(CALL)) {
    const before = text.slice(last, m.index);
    outside.push(before);
    content.push(before);
    const call = readCall(m[1]!);
    if (call) toolCalls.push(call);
    else {
      parsed = false;
      content.push(m[0]);
    }
    last = m.index + m[0].length;
  }
  outside.push(text.slice(last));
  content.push(text.slice(last));
  const rest = outside.join('');
  if (rest.includes('<tool_call>') || rest.includes('</tool_call>')) parsed = false;
  const joined = content.join('').trim();
  return { content: joined === '' ? null : joined, toolCalls, parsed };
}

/** The start of the observation an agent gets back when its output held no readable reply or
 * tool call; judges recognise an unreadable turn by it. */
export const UNREADABLE_OUTPUT = 'Error: could not read your output';
