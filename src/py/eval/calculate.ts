/**
 * τ-bench's `calculate`: `str(round(float(eval(expression)), 2))` after a character check,
 * with Python's results and error texts, without `eval`. Our one deliberate difference: ints
 * beyond MAX_INT_BITS bits (where CPython would grind for minutes, e.g. `9**9**9`) give
 * `Error: integer result too large to evaluate (over 4194304 bits)`.
 */
import { PyError, typeError } from '../errors.ts';
import { floatRepr, pyRound } from '../float.ts';
import { contains, iterate } from '../ops.ts';
import type { PyValue } from '../value.ts';
import { binary, toFloat, typeOf, unary, valueStr, type Value } from './numbers.ts';
import { parseExpression, type Node } from './syntax.ts';
import { syntaxError, tokenize } from './tokens.ts';

const ALLOWED = '0123456789+-*/(). ';

/** CPython's compiler refuses ASTs deeper than its recursion limit (×3, less the caller's frames). */
const MAX_AST_DEPTH = 2991;
/** Its parser stack overflows (MemoryError, empty message) on ~2988 chained `**`. */
const MAX_POWER_CHAIN = 2988;

function depth(n: Node): number {
  let d = 0;
  const stack: [Node, number][] = [[n, 1]];
  while (stack.length > 0) {
    const [x, k] = stack.pop()!;
    if (k > d) d = k;
    if (x.k === 'unary') stack.push([x.x, k + 1]);
    else if (x.k === 'bin') stack.push([x.a, k + 1], [x.b, k + 1]);
    else if (x.k === 'call') {
      stack.push([x.f, k + 1]);
      if (x.arg) stack.push([x.arg.x, k + 1]);
    }
  }
  return d;
}

function powerChain(n: Node): number {
  let c = 0;
  while (n.k === 'bin' && n.op === '**') {
    c++;
    n = n.b;
  }
  return c;
}

function evaluate(n: Node): Value {
  switch (n.k) {
    case 'const':
      return n.value;
    case 'unary':
      return unary(n.op, evaluate(n.x));
    case 'bin':
      return binary(n.op, evaluate(n.a), evaluate(n.b));
    case 'call': {
      const f = evaluate(n.f);
      if (n.arg) {
        const x = evaluate(n.arg.x);
        if (n.arg.star === 1 && x.t !== 'tuple') {
          throw typeError(`${valueStr(f)} argument after * must be an iterable, not ${typeOf(x)}`);
        }
        if (n.arg.star === 2) throw typeError(`${valueStr(f)} argument after ** must be a mapping, not ${typeOf(x)}`);
      }
      throw typeError(`'${typeOf(f)}' object is not callable`);
    }
  }
}

/** `eval(source)` for a str made of the allowed characters. */
export function evalExpression(source: string): Value {
  // eval() drops leading spaces and tabs; an empty source is reported on line 0.
  const src = source.replace(/^[ \t]+/, '');
  if (src === '') throw syntaxError('invalid syntax', 0);
  const ast = parseExpression(tokenize(src));
  if (powerChain(ast) >= MAX_POWER_CHAIN) throw new PyError('MemoryError', '');
  if (depth(ast) > MAX_AST_DEPTH) throw new PyError('RecursionError', 'maximum recursion depth exceeded during compilation');
  return evaluate(ast);
}

/** The observation of `calculate(expression)` for any argument value. */
export function evaluateCalculation(expression: PyValue | undefined): string {
  // `all(char in ALLOWED for char in expression)`: iterating may raise, and each element is
  // tested as a substring of ALLOWED (a list of strs passes when each is such a substring).
  for (const ch of iterate(expression)) if (!contains(ALLOWED, ch)) return 'Error: invalid characters in expression';
  if (typeof expression !== 'string') return 'Error: eval() arg 1 must be a string, bytes or code object';
  try {
    return floatRepr(pyRound(toFloat(evalExpression(expression)), 2));
  } catch (e) {
    if (e instanceof PyError) return `Error: ${e.pyMessage}`;
    throw e;
  }
}
