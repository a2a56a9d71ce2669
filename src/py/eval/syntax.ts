/**
 * A parser for Python's expression grammar as far as `calculate`'s characters reach, shaped
 * like CPython 3.11's PEG parser so that it fails where CPython fails and with its messages:
 * a first pass with the plain grammar; on failure a second pass with CPython's `invalid_*`
 * rules that name the mistake ("Perhaps you forgot a comma?", starred groups); looking at the
 * end of input while a parenthesis is open raises "'(' was never closed" at once, in either pass.
 */
import { float, int, type BinOp, type Value } from './numbers.ts';
import { syntaxError, type Token } from './tokens.ts';

export type Node =
  | { k: 'const'; value: Value }
  | { k: 'unary'; op: '+' | '-'; x: Node }
  | { k: 'bin'; op: BinOp; a: Node; b: Node }
  | { k: 'call'; f: Node; arg: { star: 0 | 1 | 2; x: Node } | null };

/** A parse alternative did not match (CPython backtracks; here the whole parse fails). */
class NoMatch extends Error {}

const MAX_INT_DIGITS = 4300;

class Parser {
  pos = 0;
  /** Whether `invalid_*` rules run (second pass), and not suspended inside `expression_without_invalid`. */
  invalid: boolean;

  constructor(
    private readonly tokens: readonly Token[],
    invalid: boolean,
  ) {
    this.invalid = invalid;
  }

  private at(i: number): Token {
    const t = this.tokens[Math.min(i, this.tokens.length - 1)]!;
    if (t.type === 'EOF' && t.level > 0) throw syntaxError("'(' was never closed");
    return t;
  }

  private peek(): Token {
    return this.at(this.pos);
  }

  private isOp(text: string): boolean {
    const t = this.peek();
    return t.type === 'OP' && t.text === text;
  }

  private expect(text: string): void {
    if (!this.isOp(text)) throw new NoMatch();
    this.pos++;
  }

  parseEval(): Node {
    const e = this.expression();
    if (this.peek().type !== 'EOF') throw new NoMatch();
    return e;
  }

  /** `expression`, with the second pass's `invalid_expression` comma check in front. */
  expression(): Node {
    const a = this.sum();
    const next = this.peek();
    if (this.invalid && (next.type === 'NUMBER' || next.type === 'ELLIPSIS')) {
      const save = this.pos;
      this.invalid = false;
      try {
        this.sum();
        if (this.tokens[this.pos - 1]!.level > 0) throw syntaxError('invalid syntax. Perhaps you forgot a comma?');
      } catch (e) {
        if (!(e instanceof NoMatch)) throw e;
      } finally {
        this.invalid = true;
        this.pos = save;
      }
    }
    return a;
  }

  /**
   * `left op right` if the right operand parses, else nothing is consumed: PEG's ordered choice
   * falls back to the shorter match (`sum: sum '+' term | term`).
   */
  private operand<T>(parse: () => T): T | undefined {
    const save = this.pos;
    this.pos++;
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof NoMatch)) throw e;
      this.pos = save;
      return undefined;
    }
  }

  private sum(): Node {
    let a = this.term();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.tokens[this.pos]!.text as '+' | '-';
      const b = this.operand(() => this.term());
      if (b === undefined) break;
      a = { k: 'bin', op, a, b };
    }
    return a;
  }

  private term(): Node {
    let a = this.factor();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//')) {
      const op = this.tokens[this.pos]!.text as '*' | '/' | '//';
      const b = this.operand(() => this.factor());
      if (b === undefined) break;
      a = { k: 'bin', op, a, b };
    }
    return a;
  }

  private factor(): Node {
    if (this.isOp('+') || this.isOp('-')) {
      const op = this.tokens[this.pos++]!.text as '+' | '-';
      return { k: 'unary', op, x: this.factor() };
    }
    const p = this.primary();
    if (this.isOp('**')) {
      const b = this.operand(() => this.factor());
      if (b !== undefined) return { k: 'bin', op: '**', a: p, b };
    }
    return p;
  }

  private primary(): Node {
    let f = this.atom();
    for (;;) {
      const t = this.peek();
      if (t.type === 'OP' && t.text === '(') {
        const save = this.pos;
        try {
          f = this.call(f);
        } catch (e) {
          if (!(e instanceof NoMatch)) throw e;
          this.pos = save;
          return f;
        }
      } else {
        // `primary '.' NAME`: CPython looks at the token after the dot before giving up.
        if (t.type === 'DOT') this.at(this.pos + 1);
        return f;
      }
    }
  }

  private call(f: Node): Node {
    this.pos++;
    if (this.isOp(')')) {
      this.pos++;
      return { k: 'call', f, arg: null };
    }
    let star: 0 | 1 | 2 = 0;
    if (this.isOp('*') || this.isOp('**')) star = this.tokens[this.pos++]!.text === '*' ? 1 : 2;
    const x = this.expression();
    this.expect(')');
    return { k: 'call', f, arg: { star, x } };
  }

  private atom(): Node {
    const t = this.peek();
    if (t.type === 'NUMBER') {
      this.pos++;
      return { k: 'const', value: numberValue(t.text) };
    }
    if (t.type === 'ELLIPSIS') {
      this.pos++;
      return { k: 'const', value: { t: 'ellipsis' } };
    }
    if (!(t.type === 'OP' && t.text === '(')) throw new NoMatch();
    this.pos++;
    if (this.isOp(')')) {
      this.pos++;
      return { k: 'const', value: { t: 'tuple' } };
    }
    if (this.isOp('*') || this.isOp('**')) {
      // A starred item is valid only in a tuple, which needs a comma; `invalid_group` names it.
      const double = this.tokens[this.pos++]!.text === '**';
      if (!this.invalid) {
        if (double) throw new NoMatch();
        this.sum();
        throw new NoMatch();
      }
      this.expression();
      if (this.isOp(')')) {
        throw syntaxError(`cannot use ${double ? 'double starred' : 'starred'} expression here`);
      }
      throw new NoMatch();
    }
    const e = this.expression();
    this.expect(')');
    return e;
  }
}

function numberValue(text: string): Value {
  if (text.includes('.')) return float(Number(text));
  if (text.length > MAX_INT_DIGITS) {
    throw syntaxError(
      `Exceeds the limit (${MAX_INT_DIGITS} digits) for integer string conversion: value has ${text.length} digits; use sys.set_int_max_str_digits() to increase the limit - Consider hexadecimal for huge integer literals to avoid decimal conversion limits.`,
    );
  }
  return int(BigInt(text));
}

/** Parses a tokenized expression as `eval` does, raising CPython's SyntaxError texts. */
export function parseExpression(tokens: readonly Token[]): Node {
  try {
    return new Parser(tokens, false).parseEval();
  } catch (e) {
    if (!(e instanceof NoMatch)) throw e;
  }
  try {
    new Parser(tokens, true).parseEval();
  } catch (e) {
    if (!(e instanceof NoMatch)) throw e;
  }
  throw syntaxError('invalid syntax');
}
