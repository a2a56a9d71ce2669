import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { trainConfigSchema, type TrainConfig } from './config.ts';
import { PRESETS } from './train-presets.ts';

/** Deep merge of plain objects (arrays and scalars replace). */
/** Keys whose value is one of several object shapes (a model source): a later value replaces, not merges. */
const ONE_OF = new Set(['base']);

export function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const cur = out[k];
    out[k] = isPlain(cur) && isPlain(v) && !ONE_OF.has(k) ? merge(cur, v) : v;
  }
  return out;
}

function isPlain(v: unknown): v is Record<string, unknown> {
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

/** The run's config: preset, then the config file, then `--set` overrides, validated as a whole. */
export function resolveTrainConfig(o: { preset?: string; file?: string; sets?: readonly string[]; data?: string }): TrainConfig {
  let cfg: Record<string, unknown> = {};
  if (o.preset !== undefined) {
    const p = PRESETS[o.preset];
    if (!p) throw new Error(`unknown preset '${o.preset}' (presets: ${Object.keys(PRESETS).join(', ')})`);
    cfg = merge(cfg, p.config as Record<string, unknown>);
  }
  if (o.file !== undefined) {
    if (!existsSync(o.file)) throw new Error(`config file ${o.file} does not exist`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(o.file, 'utf8'));
    } catch (e) {
      throw new Error(`config file ${o.file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
    }
    if (!isPlain(parsed)) throw new Error(`config file ${o.file}: expected a JSON object`);
    cfg = merge(cfg, parsed);
  }
  for (const s of o.sets ?? []) cfg = merge(cfg, parseOverride(s));
  if (o.data !== undefined) cfg = merge(cfg, { data: { dir: o.data } });
  const parsed = trainConfigSchema.safeParse(cfg);
  if (!parsed.success) throw new Error(`train config${o.file ? ` (${o.file})` : ''}: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
