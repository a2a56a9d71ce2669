import { typeError } from '../py/errors.ts';
import type { PyDict, PyValue } from '../py/value.ts';
import type { BoundArgs, PySignature } from './tool.ts';

function quoteList(names: string[]): string {
  const q = names.map((n) => `'${n}'`);
  if (q.length === 1) return q[0]!;
  if (q.length === 2) return `${q[0]} and ${q[1]}`;
  return `${q.slice(0, -1).join(', ')}, and ${q[q.length - 1]}`;
}

/**
 * Binds keyword arguments the way `Tool.invoke(data=data, **kwargs)` does in CPython 3.11,
 * raising its exact TypeErrors: a `data` kwarg collides first, then the first unexpected
 * keyword, then the missing parameters.
 */
export function bindPyArgs(sig: PySignature, kwargs: PyDict): BoundArgs {
  const invoke = `${sig.className}.invoke()`;
  if (kwargs.has('data')) {
    throw typeError(`${sig.module}.${invoke} got multiple values for keyword argument 'data'`);
  }
  const bound: Record<string, PyValue> = {};
  for (const [k, v] of kwargs) {
    if (!sig.params.includes(k)) throw typeError(`${invoke} got an unexpected keyword argument '${k}'`);
    bound[k] = v;
  }
  const missing: string[] = [];
  for (const p of sig.params) {
    if (Object.hasOwn(bound, p)) continue;
    const d = sig.defaults;
    if (d && Object.hasOwn(d, p)) bound[p] = d[p]!;
    else missing.push(p);
  }
  if (missing.length > 0) {
    const noun = missing.length === 1 ? 'argument' : 'arguments';
    throw typeError(`${invoke} missing ${missing.length} required positional ${noun}: ${quoteList(missing)}`);
  }
  return bound;
}
