import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../dataset/load.ts';
import { tarlVersion } from '../run/provenance.ts';
import { currentCommit, RUN_SCHEMA_VERSION, type RunManifest } from '../run/run-dir.ts';
import type { TrainConfig } from './config.ts';

/**
 * `run.json` of a training (or SFT) run: the whole resolved config (every default filled in, so
 * the run is reproducible from this file alone), the seed, the commit and the dataset's hashes.
 * `models` states what a reader of the figures must know: the base weights, the loss aggregation,
 * what the recorded log-probs are (design.md §6).
 */
export function trainManifest(kind: 'train' | 'sft', config: { seed: number }, dataset: Dataset, models: Record<string, unknown>): RunManifest {
  const manifestText = readFileSync(join(dataset.dir, 'manifest.json'));
  return {
    schema: RUN_SCHEMA_VERSION,
    kind,
    createdAt: new Date().toISOString(),
    config: JSON.parse(JSON.stringify(config)) as Record<string, unknown>,
    provenance: {
      commit: currentCommit(),
      tarlVersion: tarlVersion(),
      node: process.version,
      data: {
        dir: dataset.dir,
        domain: dataset.manifest.domain,
        manifestSha256: createHash('sha256').update(manifestText).digest('hex'),
        worlds: dataset.manifest.worlds,
      },
      seeds: { run: config.seed },
      models,
    },
  };
}

/** What a training run's figures depend on beyond the config's numbers. */
export function rlModels(cfg: TrainConfig): Record<string, unknown> {
  return {
    base: cfg.model.base,
    lossAggregation: cfg.aggregation.mode,
    samplingLogprobs:
      cfg.sampler.topP < 1
        ? `top_p ${cfg.sampler.topP}: recorded log-probs are of the untruncated softmax at T=${cfg.sampler.temperature} (what the trainer computes), not of the truncated sampling distribution`
        : `softmax at T=${cfg.sampler.temperature}`,
  };
}
