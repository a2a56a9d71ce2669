/**
 * CPython 3.11's tokenizer, restricted to what `calculate` admits (digits, `+-*\/().` and
 * space). Tokenizer errors carry CPython's texts; they win over any parser error wherever they
 * occur, because CPython tokenizes the rest of the source before reporting a syntax error.
 */
import { PyError } from '../errors.ts';

export type TokenType = 'NUMBER' | 'OP' | 'ELLIPSIS' | 'DOT' | 'EOF';

export interface Token {
  type: TokenType;
  text: string;
  /** Parenthesis depth after this token (CPython's `token->level`). */
  level: number;
}

/** CPython's MAXLEVEL: the 201st open parenthesis is refused. */
const MAX_LEVEL = 200;

export const syntaxError = (msg: string, line = 1): PyError => new PyError('SyntaxError', `${msg} (<string>, line ${line})`);

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9';

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let level = 0;
  let i = 0;
  const digits = (): void => {
    while (isDigit(src[i])) i++;
  };
  while (i < src.length) {
    const c = src[i]!;
    const start = i;
    if (c === ' ') {
      i++;
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(src[i + 1]))) {
      if (c === '0') {
        while (src[i] === '0') i++;
        const nonzero = isDigit(src[i]);
        digits();
        if (src[i] === '.') {
          i++;
          digits();
        } else if (nonzero) {
          throw syntaxError(
            'leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers',
          );
        }
      } else {
        if (c !== '.') digits();
        if (src[i] === '.') {
          i++;
          digits();
        }
      }
      out.push({ type: 'NUMBER', text: src.slice(start, i), level });
      continue;
    }
    if (c === '.') {
      if (src[i + 1] === '.' && src[i + 2] === '.') {
        i += 3;
        out.push({ type: 'ELLIPSIS', text: '...', level });
      } else {
        i++;
        out.push({ type: 'DOT', text: '.', level });
      }
      continue;
    }
    if (c === '(') {
      if (level >= MAX_LEVEL) throw syntaxError('too many nested parentheses');
      level++;
      i++;
      out.push({ type: 'OP', text: '(', level });
      continue;
    }
    if (c === ')') {
      if (level === 0) throw syntaxError("unmatched ')'");
      level--;
      i++;
      out.push({ type: 'OP', text: ')', level });
      continue;
    }
    // `**` and `//` are two-character operators; `+`, `-`, `*`, `/` single.
    const two = src.slice(i, i + 2);
    const text = two === '**' || two === '//' ? two : c;
    i += text.length;
    out.push({ type: 'OP', text, level });
  }
  out.push({ type: 'EOF', text: '', level });
  return out;
}
