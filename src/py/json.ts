/**
 * Python's `json.loads` (CPython 3.11's scanner: its `JSONDecodeError` messages and positions,
 * `parse_int=float`) and `json.dumps(…, indent=n)`, on our Python values.
 */
import { dumps } from './dumps.ts';
import { PyError, typeError } from './errors.ts';
import { PyFloat, pyInt, typeName, type PyDict, type PyValue } from './value.ts';
import { jsonStringAscii } from './dumps.ts';

function decodeError(msg: string, s: string, pos: number): PyError {
  let line = 1;
  let lastNl = -1;
  for (let i = 0; i < pos && i < s.length; i++) {
    if (s[i] === '\n') {
      line++;
      lastNl = i;
    }
  }
  return new PyError('JSONDecodeError', `${msg}: line ${line} column ${pos - lastNl} (char ${pos})`);
}

const WS = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /^(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?/;

class Scanner {
  constructor(
    private readonly s: string,
    private readonly parseIntAsFloat: boolean,
  ) {}

  ws(i: number): number {
    while (i < this.s.length && WS.has(this.s[i]!)) i++;
    return i;
  }

  value(i: number): [PyValue, number] {
    const s = this.s;
    const c = s[i];
    if (c === '"') return this.string(i + 1);
    if (c === '{') return this.object(i + 1);
    if (c === '[') return this.array(i + 1);
    if (c === 'n' && s.startsWith('null', i)) return [null, i + 4];
    if (c === 't' && s.startsWith('true', i)) return [true, i + 4];
    if (c === 'f' && s.startsWith('false', i)) return [false, i + 5];
    if (c === 'N' && s.startsWith('NaN', i)) return [new PyFloat(NaN), i + 3];
    if (c === 'I' && s.startsWith('Infinity', i)) return [new PyFloat(Infinity), i + 8];
    if (c === '-' && s.startsWith('-Infinity', i)) return [new PyFloat(-Infinity), i + 9];
    const m = NUMBER.exec(s.slice(i));
    if (m) {
      const text = m[0];
      if (m[2] !== undefined || m[3] !== undefined) return [new PyFloat(Number(text)), i + text.length];
      if (this.parseIntAsFloat) return [new PyFloat(Number(text)), i + text.length];
      return [pyInt(BigInt(text)), i + text.length];
    }
    throw decodeError('Expecting value', s, i);
  }

  string(i: number): [string, number] {
    const s = this.s;
    const start = i - 1;
    let out = '';
    for (;;) {
      if (i >= s.length) throw decodeError('Unterminated string starting at', s, start);
      const c = s[i]!;
      if (c === '"') return [out, i + 1];
      if (c === '\\') {
        const e = s[i + 1];
        if (e === undefined) throw decodeError('Unterminated string starting at', s, start);
        const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (simple[e] !== undefined) {
          out += simple[e];
          i += 2;
          continue;
        }
        if (e !== 'u') throw decodeError('Invalid \\escape', s, i);
        const hex = s.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw decodeError('Invalid \\uXXXX escape', s, i + 1);
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
        continue;
      }
      if (c.charCodeAt(0) < 0x20) throw decodeError('Invalid control character at', s, i);
      out += c;
      i++;
    }
  }

  object(i: number): [PyDict, number] {
    const s = this.s;
    const out: PyDict = new Map();
    i = this.ws(i);
    if (s[i] === '}') return [out, i + 1];
    for (;;) {
      if (s[i] !== '"') throw decodeError('Expecting property name enclosed in double quotes', s, i);
      const [key, afterKey] = this.string(i + 1);
      i = this.ws(afterKey);
      if (s[i] !== ':') throw decodeError("Expecting ':' delimiter", s, i);
      i = this.ws(i + 1);
      const [v, after] = this.value(i);
      out.set(key, v);
      i = this.ws(after);
      if (s[i] === '}') return [out, i + 1];
      if (s[i] !== ',') throw decodeError("Expecting ',' delimiter", s, i);
      i = this.ws(i + 1);
    }
  }

  array(i: number): [PyValue[], number] {
    const s = this.s;
    const out: PyValue[] = [];
    i = this.ws(i);
    if (s[i] === ']') return [out, i + 1];
    for (;;) {
      const [v, after] = this.value(i);
      out.push(v);
      i = this.ws(after);
      if (s[i] === ']') return [out, i + 1];
      if (s[i] !== ',') throw decodeError("Expecting ',' delimiter", s, i);
      i = this.ws(i + 1);
    }
  }
}

/** `json.loads(s)` (`parse_int=float` with `parseIntAsFloat`); raises as CPython does. */
export function jsonLoads(s: PyValue | undefined, opts: { parseIntAsFloat?: boolean } = {}): PyValue {
  if (typeof s !== 'string') throw typeError(`the JSON object must be str, bytes or bytearray, not ${typeName(s)}`);
  if (s.startsWith('\ufeff')) throw decodeError('Unexpected UTF-8 BOM (decode using utf-8-sig)', s, 0);
  const sc = new Scanner(s, opts.parseIntAsFloat ?? false);
  const start = sc.ws(0);
  const [v, end] = sc.value(start);
  const rest = sc.ws(end);
  if (rest !== s.length) throw decodeError('Extra data', s, rest);
  return v;
}

/** `json.dumps(v, indent=n)` (separators `,` and `: `, ASCII), optionally with sorted keys. */
export function dumpsIndent(v: PyValue, indent: number, level = 0): string {
  if (v === null || typeof v !== 'object' || v instanceof PyFloat) return dumps(v);
  const pad = '\n' + ' '.repeat(indent * (level + 1));
  const end = '\n' + ' '.repeat(indent * level);
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return '[' + v.map((x) => pad + dumpsIndent(x, indent, level + 1)).join(',') + end + ']';
  }
  if (v.size === 0) return '{}';
  return '{' + [...v].map(([k, x]) => pad + jsonStringAscii(k) + ': ' + dumpsIndent(x, indent, level + 1)).join(',') + end + '}';
}
