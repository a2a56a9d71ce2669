import type { DemoConfig } from './config.ts';

/** What the demo pipeline reports as it goes (src/demo/pipeline.ts). */
export interface DemoProgress {
  stage: 'data' | 'tokenizer' | 'sft' | 'rl' | 'speech' | 'report' | 'done';
  detail: string;
  /** Fraction of the stage done (0..1) when known. */
  fraction?: number;
  /** Seconds the stage still needs, when the stage can tell better than its pace so far. */
  etaSeconds?: number;
}

/**
 * Stage 1's line, said when the starter world is to be generated. Apart from the pipeline so that
 * `tarl demo` can say it before the pipeline's code loads.
 */
export function dataStageProgress(cfg: DemoConfig): DemoProgress {
  return { stage: 'data', detail: `generating the starter world (seed ${cfg.seed}), ${cfg.data.trainTasks} train and ${cfg.data.testTasks} held-out tasks` };
}
