/**
 * `tarl train` with a vLLM-style completions server as the sampler (the stand-in of
 * test/support/completions-server.ts): after every update the trainer exports the LoRA adapter,
 * the sampler hot-loads it under a new versioned name and unloads the previous one, and the next
 * rollouts sample from the new name; the trainer recomputes the log-probs and logs the
 * sampler/trainer KL.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDataset } from '../src/dataset/build.ts';
import { trainConfigSchema, type TrainConfigInput } from '../src/rl/config.ts';
import { train } from '../src/rl/train.ts';
import { RunDir } from '../src/run/run-dir.ts';
import { startTrainer, type TrainerProcess } from '../src/trainer/process.ts';
import { startCompletionsServer, type CompletionsServer } from './support/completions-server.ts';
import { tempDir } from './support/files.ts';

let dir: string;
let cleanup: () => Promise<void>;
let svc: TrainerProcess;
let server: CompletionsServer;

beforeAll(async () => {
  const t = await tempDir('tarl-train-cmpl-');
  dir = t.dir;
  cleanup = t.cleanup;
  generateDataset(join(dir, 'data'), { domain: 'starter', seed: 1, tasks: 8, dev: 0, test: 2, singleRequest: true });
  [svc, server] = await Promise.all([startTrainer({ threads: 2, startupTimeoutMs: 600_000 }), startCompletionsServer()]);
}, 620_000);
afterAll(async () => {
  await svc?.stop();
  await server?.close();
  await cleanup?.();
});

const config = (extra: Partial<TrainConfigInput> = {}): TrainConfigInput => ({
  seed: 0, steps: 2, data: { dir: join(dir, 'data') },
  model: { lora: { rank: 4, alpha: 8 } },
  sampler: { kind: 'completions', baseUrl: server.url, model: server.model, maxTokens: 6 },
  // The stand-in's text never parses and its rewards are all alike: keep every rollout in the batch
  // (no masking of unparsed turns, REINFORCE++ keeps all-equal groups) so the trainer sees tokens.
  rollout: { groupSize: 2, concurrency: 8, maxTurns: 2, maskUnparsed: false }, curriculum: { tasksPerStep: 2 },
  advantage: { estimator: 'reinforce_pp' },
  optim: { lr: 1e-3 }, eval: { every: 0 }, checkpoint: { every: 100, keep: 1 },
  ...extra,
});

describe('train with a completions server as the sampler', () => {
  it('hot-loads each update as a new adapter version, samples from it, and logs the sampler/trainer KL', async () => {
    const out = join(dir, 'run');
    await train({ config: trainConfigSchema.parse(config()), out, service: svc });

    const adapterCalls = server.requests.filter((r) => r.path !== '/v1/completions');
    const names = adapterCalls.filter((r) => r.path === '/v1/load_lora_adapter').map((r) => String(r.body.lora_name));
    expect(names).toHaveLength(3); // the initial weights, then one per update
    names.forEach((n, v) => expect(n).toMatch(new RegExp(`^policy-[0-9a-f-]{8}-v${v}$`)));
    // Each new version is loaded before the previous one is unloaded.
    expect(adapterCalls.map((r) => `${r.path.slice(4)} ${String(r.body.lora_name)}`)).toEqual([
      `load_lora_adapter ${names[0]}`,
      `load_lora_adapter ${names[1]}`, `unload_lora_adapter ${names[0]}`,
      `load_lora_adapter ${names[2]}`, `unload_lora_adapter ${names[1]}`,
    ]);
    expect([...server.adapters.keys()]).toEqual([names[2]]);
    // Every completion names the version live when it was sent: v0 before the first update, v1 after it.
    const at = (i: number): number => server.requests.indexOf(adapterCalls[i]!);
    const models = (from: number, to: number): Set<unknown> => new Set(server.requests.slice(from, to).filter((r) => r.path === '/v1/completions').map((r) => r.body.model));
    expect(models(at(0), at(1))).toEqual(new Set([names[0]]));
    expect(models(at(2), at(3))).toEqual(new Set([names[1]]));
    expect(models(at(4), server.requests.length).size).toBe(0); // step 2 is the last: nothing sampled from v2
    // The exported adapter is a PEFT directory; only the newest is kept.
    expect(readdirSync(join(out, 'weights'))).toEqual(['2']);
    expect(existsSync(join(out, 'weights', '2', 'adapter_config.json'))).toBe(true);

    const lines = RunDir.open(out).metrics();
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      // A bigram table and the tiny transformer disagree a lot: the KL is far from 0, and measured.
      expect(l['kl/sampler_trainer']).toBeGreaterThan(0.1);
      expect(Number.isFinite(l['kl/sampler_trainer'])).toBe(true);
      expect(l['ppo/sampler_max_abs_dev']).toBeGreaterThan(0);
    }
  }, 180_000);

  it('refuses full fine-tuning against vLLM, naming the field', () => {
    const r = trainConfigSchema.safeParse(config({ model: { lora: null } }));
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['sampler', 'server']);
    expect(r.error!.issues[0]!.message).toMatch(/full fine-tuning.*sglang.*update_weights_from_disk/);
    expect(trainConfigSchema.safeParse(config({ model: { lora: null }, sampler: { kind: 'completions', baseUrl: 'http://x', model: 'm', server: 'sglang' } })).success).toBe(true);
  });
});
