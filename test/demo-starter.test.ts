/** The shipped starter checkpoint: written whole, read back only when every file hashes as listed. */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStarter, writeStarter } from '../src/demo/starter.ts';
import { tempDir } from './support/files.ts';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('tarl-starter-'));
  const ckpt = join(dir, 'sft', 'checkpoints', '400');
  mkdirSync(join(ckpt, 'model'), { recursive: true });
  writeFileSync(join(ckpt, 'tarl_checkpoint.json'), '{"version":1,"kind":"full","step":400}\n');
  writeFileSync(join(ckpt, 'model', 'model.safetensors'), Buffer.from([1, 2, 3, 4]));
  writeFileSync(join(ckpt, 'model', 'tokenizer.json'), '{}');
  writeFileSync(join(ckpt, 'optimizer.pt'), 'state');
  writeFileSync(join(dir, 'sft', 'metrics.jsonl'), '{"step":0,"loss/train":1}\n');
});
afterEach(async () => cleanup());

const build = { command: 'tarl demo --from-scratch --write-starter --seed 1', seed: 1, sftSteps: 400, seconds: 300, model: '2 × 128', date: '2026-11-30T00:00:00Z' };
const write = (): string => writeStarter({ checkpoint: join(dir, 'sft', 'checkpoints', '400'), metrics: join(dir, 'sft', 'metrics.jsonl'), dir: join(dir, 'starter'), build });

describe('starter checkpoint', () => {
  it('round-trips weights, tokenizer and metrics, leaving the optimizer state out', () => {
    const out = write();
    const s = readStarter(out);
    expect(s.checkpoint).toBe(join(out, 'checkpoint'));
    expect(Object.keys(s.manifest.files).sort()).toEqual(['checkpoint/model/model.safetensors', 'checkpoint/model/tokenizer.json', 'checkpoint/tarl_checkpoint.json', 'sft-metrics.jsonl']);
    expect(s.manifest.files['checkpoint/model/model.safetensors']).toBe('9f64a747e1b97f131fabb6b447296c9b6f0201e79fb3c5356e6c77e89b6a806a'); // sha256 of 01 02 03 04
    expect(existsSync(join(out, 'checkpoint', 'optimizer.pt'))).toBe(false);
    expect(readFileSync(s.metrics, 'utf8')).toContain('"loss/train":1');
    expect(write()).toBe(out); // rewriting replaces it whole
    expect(existsSync(`${out}.tmp-${process.pid}`)).toBe(false);
  });

  it('refuses a changed, missing, extra or unversioned file, naming it', () => {
    const out = write();
    const weights = join(out, 'checkpoint', 'model', 'model.safetensors');
    appendFileSync(weights, 'x');
    expect(() => readStarter(out)).toThrow(`starter file ${weights} has sha256`);
    rmSync(weights);
    expect(() => readStarter(out)).toThrow(`starter file ${weights} is missing`);
    write();
    writeFileSync(join(out, 'checkpoint', 'model', 'extra.bin'), 'x');
    expect(() => readStarter(out)).toThrow(/extra\.bin is not listed/);
    write();
    const manifest = JSON.parse(readFileSync(join(out, 'starter.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(out, 'starter.json'), JSON.stringify({ ...manifest, format: 2 }));
    expect(() => readStarter(out)).toThrow(/starter format 2, this version reads format 1/);
    expect(() => readStarter(join(dir, 'nowhere'))).toThrow(/no starter checkpoint at .*nowhere.*--from-scratch --write-starter/);
  });
});
