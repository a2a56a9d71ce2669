import type { Command } from 'commander';
import { DEFAULT_MAX_ERROR_RATE } from '../../eval/error-reasons.ts';
import { JUDGE_KINDS } from '../../judge/kinds.ts';
import { addModelOptions } from '../../llm/model-flags.ts';

/** `tarl judge`'s options. What it does is in judge-run.ts, imported when it runs, so that `--help` and usage errors need none of it. */
export interface JudgeOptions {
  concurrency: string;
  retries: string;
  retryFailed?: boolean;
  cacheDir?: string;
  [k: string]: unknown;
}

export interface JudgeBenchOptions extends JudgeOptions {
  data: string;
  split: string;
  tasks?: string;
  out: string;
  seed: string;
  force?: boolean;
  maxErrorRate: string;
}

export function register(program: Command): void {
  const judge = program
    .command('judge')
    .description('Turn-level adjudication (TARL): score every agent turn -1/0/+1')
    .argument('[run]', 'run directory whose episodes to judge')
    .option('--concurrency <n>', 'episodes judged at once', '4')
    .option('--retries <n>', 'extra judge calls after an invalid reply', '2')
    .option('--retry-failed', 'judge again episodes whose verdict by this judge failed')
    .option('--cache-dir <dir>', 'on-disk response cache for the judge model');
  addModelOptions(judge, 'judge', { defaultKind: 'oracle', what: 'judge', kinds: JUDGE_KINDS });
  judge.action(async (run: string | undefined, o: JudgeOptions) => {
    if (!run) throw new Error('tarl judge needs a run directory (or: tarl judge bench …)');
    await (await import('./judge-run.ts')).judgeRunAction(run, o);
  });
  const bench = judge
    .command('bench')
    .description('Judge benchmark: flawed-agent episodes (one injected mistake) and clean oracle episodes, through the real loop')
    .requiredOption('--data <dir>', 'generated dataset directory')
    .option('--split <name>', 'split', 'test')
    .option('--tasks <range>', 'task indices, e.g. 0-99')
    .requiredOption('--out <dir>', 'where the two corpus runs and judge-bench.json go: a missing or empty folder, or a judge benchmark (resumed; --force replaces it)')
    .option('--force', 'replace the judge benchmark already in --out')
    .option('--max-error-rate <share>', 'fail when more than this share of corpus episodes end in error', DEFAULT_MAX_ERROR_RATE)
    .option('--seed <n>', 'run seed', '0')
    .option('--concurrency <n>', 'episodes and judgements in flight', '4')
    .option('--retries <n>', 'extra judge calls after an invalid reply', '2')
    .option('--cache-dir <dir>', 'on-disk response cache for the judge model');
  addModelOptions(bench, 'judge', { defaultKind: 'oracle', what: 'judge', kinds: JUDGE_KINDS });
  bench.action(async (o: JudgeBenchOptions) => (await import('./judge-run.ts')).benchAction(o));
}
