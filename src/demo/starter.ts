/**
 * The shipped starter checkpoint (`starter/` at the repository root): an SFT checkpoint of the
 * demo's model, built by `tarl demo --from-scratch --write-starter` and verified by format version
 * and sha256 before use, so that `npm start` can begin RL from it within the time budget (SFT from
 * scratch to the copy skill takes longer than the whole budget on 2 cores: docs/demo.md).
 *
 * Layout: `starter.json` (this module's manifest), `checkpoint/` (a full checkpoint: its
 * `tarl_checkpoint.json` and `model/` with weights and tokenizer; no optimizer state) and
 * `sft-metrics.jsonl` (the curve of the SFT run that built it, for the report).
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { repoPath } from '../paths.ts';

export const STARTER_FORMAT = 1;

export const starterManifestSchema = z
  .object({
    format: z.literal(STARTER_FORMAT),
    /** sha256 (hex) of every file, by path relative to the starter directory. */
    files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
    build: z
      .object({
        command: z.string().describe('the command that rebuilds this starter'),
        seed: z.number().int().nonnegative(),
        sftSteps: z.number().int().positive(),
        seconds: z.number().nonnegative().describe('wall time of the SFT that built it'),
        model: z.string(),
        date: z.string(),
      })
      .strict(),
  })
  .strict();
export type StarterManifest = z.infer<typeof starterManifestSchema>;

export const defaultStarterDir = (): string => repoPath('starter');

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => statSync(f).isFile())
    .sort();
}

/** The starter in `dir`, its every file checked against the manifest; throws naming what is wrong. */
export function readStarter(dir: string = defaultStarterDir()): { checkpoint: string; metrics: string; manifest: StarterManifest } {
  const file = join(dir, 'starter.json');
  if (!existsSync(file)) throw new Error(`no starter checkpoint at ${dir} (starter.json missing): run 'tarl demo --from-scratch --write-starter' to build one`);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (format !== STARTER_FORMAT) throw new Error(`${file}: starter format ${JSON.stringify(format)}, this version reads format ${STARTER_FORMAT}: rebuild it with 'tarl demo --from-scratch --write-starter'`);
  const parsed = starterManifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${file}: ${z.prettifyError(parsed.error)}`);
  const manifest = parsed.data;
  for (const [rel, want] of Object.entries(manifest.files)) {
    const f = join(dir, rel);
    if (!existsSync(f)) throw new Error(`starter file ${f} is missing (listed in ${file})`);
    const got = sha256(f);
    if (got !== want) throw new Error(`starter file ${f} has sha256 ${got}, ${file} says ${want}: the checkpoint was changed or damaged`);
  }
  for (const f of filesUnder(join(dir, 'checkpoint'))) {
    if (!(relative(dir, f) in manifest.files)) throw new Error(`starter file ${f} is not listed in ${file}`);
  }
  return { checkpoint: join(dir, 'checkpoint'), metrics: join(dir, 'sft-metrics.jsonl'), manifest };
}

/**
 * Writes a starter from a full SFT checkpoint (weights and tokenizer; the optimizer state is left
 * out) and that run's metrics, replacing `dir` only once the new one is complete.
 */
export function writeStarter(o: { checkpoint: string; metrics: string; dir?: string; build: StarterManifest['build'] }): string {
  const dir = o.dir ?? defaultStarterDir();
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const model = join(o.checkpoint, 'model');
  if (!existsSync(join(o.checkpoint, 'tarl_checkpoint.json')) || !existsSync(model)) throw new Error(`${o.checkpoint} is not a full checkpoint (tarl_checkpoint.json and model/ expected)`);
  mkdirSync(join(tmp, 'checkpoint', 'model'), { recursive: true });
  copyFileSync(join(o.checkpoint, 'tarl_checkpoint.json'), join(tmp, 'checkpoint', 'tarl_checkpoint.json'));
  for (const f of readdirSync(model)) copyFileSync(join(model, f), join(tmp, 'checkpoint', 'model', f));
  copyFileSync(o.metrics, join(tmp, 'sft-metrics.jsonl'));
  const files = Object.fromEntries(filesUnder(tmp).map((f) => [relative(tmp, f), sha256(f)]));
  const manifest: StarterManifest = { format: STARTER_FORMAT, files, build: o.build };
  writeFileSync(join(tmp, 'starter.json'), JSON.stringify(manifest, null, 2) + '\n');
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return dir;
}
