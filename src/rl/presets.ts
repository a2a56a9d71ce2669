import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { trainConfigSchema, type TrainConfig } from './config.ts';
import { isPlain, merge, parseOverride } from './overrides.ts';
import { PRESETS } from './train-presets.ts';

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
