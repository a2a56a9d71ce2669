import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Dataset } from '../dataset/load.ts';
import { tarlVersion } from '../run/provenance.ts';
import { currentCommit, RUN_SCHEMA_VERSION, type RunManifest } from '../run/run-dir.ts';
import type { TrainConfig } from './config.ts';

/**
 * `run.json` of a training run: the whole resolved config (every default filled in, so the run is
 * reproducible from this file alone), the seeds, the commit and the dataset's hashes. The loss
 * aggregation and the sampling truncation are stated explicitly (design.md §6).
 */
export function trainManifest(cfg: TrainConfig, dataset: Dataset, kind: 'train' | 'sft' = 'train'): RunManifest {
  const manifestText = readFileSync(join(dataset.dir, 'manifest.json'));
  return {
    schema: RUN_SCHEMA_VERSION,
    kind,
    createdAt: new Date().toISOString(),
    config: JSON.parse(JSON.stringify(cfg)) as Record<string, unknown>,
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
      seeds: { run: cfg.seed },
      models: {
        base: cfg.model.base,
        lossAggregation: cfg.aggregation.mode,
        samplingLogprobs:
          cfg.sampler.topP < 1
            ? `top_p ${cfg.sampler.topP}: recorded log-probs are of the untruncated softmax at T=${cfg.sampler.temperature} (what the trainer computes), not of the truncated sampling distribution`
            : `softmax at T=${cfg.sampler.temperature}`,
      },
    },
  };
}
