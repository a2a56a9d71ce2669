import type { BoundArgs, PySignature } from '../../sandbox/tool.ts';
import type { PyValue } from '../../py/value.ts';

/** τ-bench's Python signature of an airline tool (its module path appears in some TypeErrors). */
export function airlineSignature(file: string, className: string, params: readonly string[]): PySignature {
  return { className, module: `tau_bench.envs.airline.tools.${file}`, params };
}

/** A bound argument (binding has already raised Python's TypeError for any missing one). */
export function arg(args: BoundArgs, name: string): PyValue {
  const v = args[name];
  if (v === undefined) throw new Error(`argument '${name}' was not bound`);
  return v;
}
