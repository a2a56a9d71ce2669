/**
 * A TOML reader for the subset τ²-bench's telecom data uses, producing our Python values as
 * Python's `toml` library would: tables and arrays of tables (`[a.b]`, `[[a.b]]`), `key = value`
 * with basic strings, integers, floats (`5.0` stays a float), booleans and arrays. Anything
 * else is an error naming the line, never a guess.
 */
import { PyFloat, pyInt, type PyDict, type PyValue } from './value.ts';

class TomlError extends Error {
  constructor(file: string, line: number, msg: string) {
    super(`${file}:${line}: ${msg}`);
    this.name = 'TomlError';
  }
}

function parseString(s: string, at: { i: number }, fail: (m: string) => never): string {
  let out = '';
  at.i++; // opening quote
  for (;;) {
    const c = s[at.i];
    if (c === undefined) fail('unterminated string');
    if (c === '"') {
      at.i++;
      return out;
    }
    if (c === '\\') {
      const e = s[at.i + 1];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', b: '\b', f: '\f' };
      if (e !== undefined && simple[e] !== undefined) {
        out += simple[e];
        at.i += 2;
        continue;
      }
      if (e === 'u' || e === 'U') {
        const n = e === 'u' ? 4 : 8;
        const hex = s.slice(at.i + 2, at.i + 2 + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n) fail('bad unicode escape');
        out += String.fromCodePoint(parseInt(hex, 16));
        at.i += 2 + n;
        continue;
      }
      fail(`unsupported escape \\${e ?? ''}`);
    }
    out += c;
    at.i++;
  }
}

function parseValue(s: string, at: { i: number }, fail: (m: string) => never): PyValue {
  while (s[at.i] === ' ' || s[at.i] === '\t') at.i++;
  const c = s[at.i];
  if (c === '"') return parseString(s, at, fail);
  if (c === '[') {
    at.i++;
    const out: PyValue[] = [];
    for (;;) {
      while (/\s/.test(s[at.i] ?? '')) at.i++;
      if (s[at.i] === ']') {
        at.i++;
        return out;
      }
      out.push(parseValue(s, at, fail));
      while (/\s/.test(s[at.i] ?? '')) at.i++;
      if (s[at.i] === ',') at.i++;
      else if (s[at.i] !== ']') fail('expected , or ] in array');
    }
  }
  const rest = s.slice(at.i);
  const word = /^[^\s,\]#]+/.exec(rest)?.[0] ?? '';
  at.i += word.length;
  if (word === 'true') return true;
  if (word === 'false') return false;
  if (/^[+-]?\d[\d_]*$/.test(word)) return pyInt(BigInt(word.replaceAll('_', '')));
  if (/^[+-]?\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?$/.test(word)) return new PyFloat(Number(word.replaceAll('_', '')));
  return fail(`unsupported value '${word}'`);
}

/** Parses a TOML document (the subset above) into an insertion-ordered dict. */
export function parseToml(text: string, file = '<toml>'): PyDict {
  const root: PyDict = new Map();
  let current = root;
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const fail = (m: string): never => {
      throw new TomlError(file, n + 1, m);
    };
    let line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^(\[\[?)\s*([A-Za-z0-9_.-]+)\s*\]\]?$/.exec(line);
    if (header) {
      const isArray = header[1] === '[[';
      const parts = header[2]!.split('.');
      let t: PyDict = root;
      parts.forEach((p, i) => {
        const last = i === parts.length - 1;
        let next = t.get(p);
        if (last && isArray) {
          if (next === undefined) t.set(p, (next = []));
          if (!Array.isArray(next)) fail(`'${p}' is not an array of tables`);
          const table: PyDict = new Map();
          (next as PyValue[]).push(table);
          t = table;
          return;
        }
        if (Array.isArray(next)) next = next[next.length - 1];
        if (next === undefined) t.set(p, (next = new Map()));
        if (!(next instanceof Map)) fail(`'${p}' is not a table`);
        t = next as PyDict;
      });
      current = t;
      continue;
    }
    const kv = /^([A-Za-z0-9_-]+|"[^"]*")\s*=\s*(.*)$/.exec(line);
    if (!kv) fail('expected a table header or key = value');
    const key = kv![1]!.startsWith('"') ? kv![1]!.slice(1, -1) : kv![1]!;
    let valueText = kv![2]!;
    // An array may continue on the following lines.
    while (valueText.startsWith('[') && !balanced(valueText) && n + 1 < lines.length) valueText += '\n' + lines[++n]!;
    line = valueText;
    const at = { i: 0 };
    const value = parseValue(line, at, fail);
    const tail = line.slice(at.i).trim();
    if (tail !== '' && !tail.startsWith('#')) fail(`unexpected text after value: ${tail}`);
    if (current.has(key)) fail(`duplicate key '${key}'`);
    current.set(key, value);
  }
  return root;
}

function balanced(s: string): boolean {
  let depth = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '[') depth++;
    else if (c === ']') depth--;
  }
  return depth === 0;
}
