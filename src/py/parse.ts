import { PyFloat, pyInt, type PyDict, type PyValue } from './value.ts';

/**
 * A lossless, order-preserving JSON parser with Python's `json.loads` typing: a number with a
 * fraction or exponent is a float, otherwise an int; objects become insertion-ordered Maps
 * (a later duplicate key replaces the value but keeps the first position, as in Python).
 * Accepts `NaN`, `Infinity` and `-Infinity`, as Python does.
 */
// json.loads maps every `NaN` to one shared float object, so `nan in [nan]` is True there.
const NAN = new PyFloat(NaN);

export function parsePy(text: string): PyValue {
  const p = new Parser(text);
  p.ws();
  const v = p.value();
  p.ws();
  if (p.i !== text.length) p.fail('Extra data');
  return v;
}

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'JsonSyntaxError';
  }
}

class Parser {
  i = 0;
  constructor(private readonly s: string) {}

  fail(msg: string): never {
    throw new JsonSyntaxError(msg, this.i);
  }

  ws(): void {
    const s = this.s;
    let i = this.i;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else break;
    }
    this.i = i;
  }

  value(): PyValue {
    const c = this.s[this.i];
    switch (c) {
      case '{':
        return this.object();
      case '[':
        return this.array();
      case '"':
        return this.string();
      case 't':
        return this.literal('true', true);
      case 'f':
        return this.literal('false', false);
      case 'n':
        return this.literal('null', null);
      case 'N':
        return this.literal('NaN', NAN);
      case 'I':
        return this.literal('Infinity', new PyFloat(Infinity));
      default:
        if (c === '-' && this.s.startsWith('-Infinity', this.i)) return this.literal('-Infinity', new PyFloat(-Infinity));
        if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number();
        return this.fail('Expecting value');
    }
  }

  literal(word: string, v: PyValue): PyValue {
    if (!this.s.startsWith(word, this.i)) this.fail('Expecting value');
    this.i += word.length;
    return v;
  }

  number(): PyValue {
    const s = this.s;
    const start = this.i;
    let i = start;
    if (s[i] === '-') i++;
    if (s[i] === '0') i++;
    else if (s[i] !== undefined && s[i]! >= '1' && s[i]! <= '9') while (s[i] !== undefined && s[i]! >= '0' && s[i]! <= '9') i++;
    else this.fail('Expecting value');
    let isFloat = false;
    if (s[i] === '.' && s[i + 1] !== undefined && s[i + 1]! >= '0' && s[i + 1]! <= '9') {
      isFloat = true;
      i++;
      while (s[i] !== undefined && s[i]! >= '0' && s[i]! <= '9') i++;
    }
    if (s[i] === 'e' || s[i] === 'E') {
      let j = i + 1;
      if (s[j] === '+' || s[j] === '-') j++;
      if (s[j] !== undefined && s[j]! >= '0' && s[j]! <= '9') {
        isFloat = true;
        i = j;
        while (s[i] !== undefined && s[i]! >= '0' && s[i]! <= '9') i++;
      }
    }
    this.i = i;
    const text = s.slice(start, i);
    const n = Number(text);
    if (isFloat) return new PyFloat(n);
    if (!Number.isSafeInteger(n)) return pyInt(BigInt(text)); // exact, as Python's int
    return n === 0 ? 0 : n; // `-0` is the int 0 in Python
  }

  string(): string {
    const s = this.s;
    let i = this.i + 1;
    let out = '';
    let runStart = i;
    for (;;) {
      const c = s.charCodeAt(i);
      if (Number.isNaN(c)) {
        this.i = i;
        this.fail('Unterminated string');
      }
      if (c === 34) break; // "
      if (c === 92) {
        out += s.slice(runStart, i);
        const e = s[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = s.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.i = i;
              this.fail('Invalid \\uXXXX escape');
            }
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            this.i = i - 1;
            this.fail('Invalid \\escape');
        }
        runStart = i;
        continue;
      }
      if (c < 32) {
        this.i = i;
        this.fail('Invalid control character');
      }
      i++;
    }
    out += s.slice(runStart, i);
    this.i = i + 1;
    return out;
  }

  array(): PyValue[] {
    this.i++;
    const out: PyValue[] = [];
    this.ws();
    if (this.s[this.i] === ']') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      out.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return out;
      if (c !== ',') {
        this.i--;
        this.fail("Expecting ',' delimiter");
      }
    }
  }

  object(): PyDict {
    this.i++;
    const out: PyDict = new Map();
    this.ws();
    if (this.s[this.i] === '}') {
      this.i++;
      return out;
    }
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('Expecting property name enclosed in double quotes');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail("Expecting ':' delimiter");
      this.i++;
      this.ws();
      out.set(k, this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return out;
      if (c !== ',') {
        this.i--;
        this.fail("Expecting ',' delimiter");
      }
    }
  }
}
