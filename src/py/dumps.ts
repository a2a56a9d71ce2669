import { floatJson, floatRepr } from './float.ts';
import { strRepr } from './repr.ts';
import { PyFloat, type PyDict, type PyValue } from './value.ts';

// Python's json escapes: ESCAPE_ASCII for ensure_ascii=True, ESCAPE otherwise.
const ESCAPE_ASCII = /[\\"]|[^ -~]/g;
/** The same class without /g: a cheap test that skips `replace` for the common plain string. */
const NEEDS_ASCII_ESCAPE = /[\\"]|[^ -~]/;
// eslint-disable-next-line no-control-regex -- json.dumps escapes exactly these control characters
const ESCAPE_RAW = /[\x00-\x1f\\"]/g;
const SHORT: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeChar(ch: string): string {
  return SHORT[ch] ?? '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/** A JSON string literal as `json.dumps` writes it with `ensure_ascii=True`. */
export function jsonStringAscii(s: string): string {
  return NEEDS_ASCII_ESCAPE.test(s) ? '"' + s.replace(ESCAPE_ASCII, escapeChar) + '"' : '"' + s + '"';
}

/**
 * Values known never to change, with their `dumps` text (the template's shared seeded records,
 * which read tools may not mutate — a parity test checks it). `dumps` answers them from here.
 */
const frozenText = new WeakMap<object, string>();

export function rememberFrozenText(v: PyDict, text: string): void {
  frozenText.set(v, text);
}

/** A JSON string literal as `json.dumps` writes it with `ensure_ascii=False`. */
export function jsonStringRaw(s: string): string {
  return '"' + s.replace(ESCAPE_RAW, escapeChar) + '"';
}

/** `json.dumps(v)` with Python's defaults: `", "`/`": "` separators, insertion order, ASCII. */
export function dumps(v: PyValue): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return jsonStringAscii(v);
  if (v instanceof PyFloat) return floatJson(v.value);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : '[' + v.map(dumps).join(', ') + ']';
  const known = frozenText.get(v);
  if (known !== undefined) return known;
  return dumpsDict(v);
}

/** `dumps` of a dict, always serialised (never answered from the frozen texts). */
export function dumpsDict(v: PyDict): string {
  if (v.size === 0) return '{}';
  let out = '{';
  let first = true;
  for (const [k, x] of v) {
    out += (first ? '' : ', ') + jsonStringAscii(k) + ': ' + dumps(x);
    first = false;
  }
  return out + '}';
}

/** Python's default str ordering: by code point (JS `<` compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

export function sortedKeys(keys: Iterable<string>): string[] {
  const out = [...keys];
  // ASCII keys (the common case) sort the same either way; only non-BMP keys need care.
  return out.sort(compareCodePoints);
}

function wholeFloatAsInt(x: number): string {
  if (Object.is(x, -0) || x === 0) return '0';
  return Math.abs(x) < 2 ** 53 ? String(x) : BigInt(x).toString();
}

/**
 * The canonical JSON of the golden README: whole-number floats become ints, keys sorted by code
 * point, `,`/`:` separators, non-ASCII raw. The state hash is SHA-256 of this text.
 */
export function canonical(v: PyValue): string {
  if (v === null) return 'null';
  if (v === true) return 'true';
  if (v === false) return 'false';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return jsonStringRaw(v);
  if (v instanceof PyFloat) {
    const x = v.value;
    return Number.isInteger(x) ? wholeFloatAsInt(x) : floatJson(x);
  }
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  const parts: string[] = [];
  for (const k of sortedKeys(v.keys())) parts.push(jsonStringRaw(k) + ':' + canonical(v.get(k)!));
  return '{' + parts.join(',') + '}';
}

/**
 * The value as τ-bench's own data hash sees it: `str()` of nested tuples with dict items sorted
 * by key. Key order is irrelevant; list order and int vs float are not.
 */
export function tauRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'string') return strRepr(v);
  if (v instanceof PyFloat) return floatRepr(v.value);
  const items = Array.isArray(v)
    ? v.map(tauRepr)
    : sortedKeys(v.keys()).map((k) => `(${strRepr(k)}, ${tauRepr(v.get(k)!)})`);
  if (items.length === 1) return `(${items[0]},)`;
  return `(${items.join(', ')})`;
}

/** `json.dumps(v, separators=(",", ":"))`: compact, insertion order, ASCII (the golden files' form). */
export function dumpsCompact(v: PyValue): string {
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return dumps(v);
  if (Array.isArray(v)) return '[' + v.map(dumpsCompact).join(',') + ']';
  const parts: string[] = [];
  for (const [k, x] of v) parts.push(jsonStringAscii(k) + ':' + dumpsCompact(x));
  return '{' + parts.join(',') + '}';
}

/**
 * `json.dumps(v, sort_keys=True)` with Python's other defaults (`", "`/`": "` separators,
 * ASCII): τ²-bench's database hash text. Keys sort by code point at every level.
 */
export function dumpsSorted(v: PyValue): string {
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return dumps(v);
  if (Array.isArray(v)) return v.length === 0 ? '[]' : '[' + v.map(dumpsSorted).join(', ') + ']';
  if (v.size === 0) return '{}';
  const parts: string[] = [];
  for (const k of sortedKeys(v.keys())) parts.push(jsonStringAscii(k) + ': ' + dumpsSorted(v.get(k)!));
  return '{' + parts.join(', ') + '}';
}
