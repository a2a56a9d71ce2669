/**
 * Config overrides (`--set key.path=value`) and the deep merge that layers them, apart from the
 * schemas they are validated with so that the demo can read its flags before those load.
 */

/** Keys whose value is one of several object shapes (a model source): a later value replaces, not merges. */
const ONE_OF = new Set(['base']);

/** Deep merge of plain objects (arrays and scalars replace). */
export function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isPlain(cur) && isPlain(v) && !ONE_OF.has(k) ? merge(cur, v) : v;
  }
  return out;
}

/** An object that merges key by key (not an array, not null). */
export function isPlain(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `a.b.c=value` → {a: {b: {c: value}}}; the value is read as JSON when it parses, else as text. */
export function parseOverride(text: string): Record<string, unknown> {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new Error(`--set ${text}: expected key.path=value (e.g. --set optim.lr=3e-4)`);
  const path = text.slice(0, eq).split('.');
  if (path.some((p) => !/^[A-Za-z_][A-Za-z0-9_]*$/.test(p))) throw new Error(`--set ${text}: '${text.slice(0, eq)}' is not a dotted key path`);
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try {
    value = JSON.parse(raw);
  } catch {
    // plain text value
  }
  return path.reduceRight<Record<string, unknown>>((inner, key, i) => ({ [key]: i === path.length - 1 ? value : inner }), {});
}
