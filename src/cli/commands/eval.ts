import type { Command } from 'commander';
import { AGENT_KINDS } from '../../agents/kinds.ts';
import { DEFAULT_MAX_ERROR_RATE } from '../../eval/error-reasons.ts';
import { addModelOptions } from '../../llm/model-flags.ts';
import { USER_KINDS } from '../../users/kinds.ts';
import { addTau2WorldFlags } from '../shared/tau2-world.ts';

/** `tarl eval`'s options. What it does is in eval-run.ts, imported when it runs, so that `--help` and usage errors need none of it. */
export interface EvalOptions {
  data: string;
  split: string;
  trials: string;
  concurrency: string;
  tasks?: string;
  modality: string;
  speechRatio?: string;
  voice?: string;
  sendTranscript?: boolean;
  out: string;
  resume?: boolean;
  force?: boolean;
  maxErrorRate: string;
  seed: string;
  maxSteps?: string;
  maxErrors?: string;
  solo?: boolean;
  llm?: boolean;
  nlJudge?: string;
  retrieval?: string;
  embeddingsBaseUrl?: string;
  embeddingsModel?: string;
  embeddingsApiKeyEnv?: string;
  telecomPolicy?: string;
  verify: 'taubench' | 'db';
  cacheDir?: string;
  progress: boolean;
  [k: string]: unknown;
}

export interface CompareOptions {
  iterations: string;
  seed: string;
  html?: string;
  allowIncomplete?: boolean;
  top: string;
}

export function register(program: Command): void {
  const cmd = program
    .command('eval')
    .description('Evaluate an agent on a dataset split: pass^k, behaviour metrics, reports')
    .option('--data <dir>', 'dataset directory (tarl data generate / import-taubench)')
    .option('--split <name>', 'split to evaluate', 'test')
    .option('--trials <n>', 'trials per task (pass^k for k = 1..n)', '1')
    .option('--concurrency <n>', 'episodes in flight', '4')
    .option('--tasks <range>', 'task indices, e.g. 0-49 or 0,3,7-9')
    .option('--modality <m>', 'how user turns reach the agent: text, speech (TTS audio) or mixed (per episode, seeded)', 'text')
    .option('--speech-ratio <r>', 'mixed: the share of spoken episodes', '0.5')
    .option('--voice <spec>', 'TTS: espeak-ng[:voices=a|b,rate=175,pitch=50,rate_jitter=20,pitch_jitter=15,sample_rate=16000,snr=20] or openai:base_url=…,model=…,voices=…', 'espeak-ng')
    .option('--send-transcript', 'speech turns: send the transcript as a text part beside the audio')
    .option('--out <dir>', 'run folder: missing or empty, or a run to --resume or replace with --force')
    .option('--resume', 'continue an interrupted run in --out')
    .option('--force', 'replace the run already in --out (only a run folder; never anything else)')
    .option('--max-error-rate <share>', 'fail (exit 1, top error reasons listed) when more than this share of episodes end in error', DEFAULT_MAX_ERROR_RATE)
    .option('--seed <n>', 'run seed (episode seeds derive from it)', '0')
    .option('--max-steps <n>', 'agent turns per episode (default 30); τ² datasets: steps, every message counts (default 200)')
    .option('--max-errors <n>', 'τ² datasets: failed tool calls before the episode ends (default 10)')
    .option('--solo', 'τ² telecom: one agent with both toolkits and the ticket, no user')
    .option('--no-llm', 'τ² datasets: no judge call; NL assertions are reported unscored')
    .option('--nl-judge <spec>', 'τ² datasets: the NL assertion judge, e.g. llm:model=gpt-4.1,base_url=…')
    .option('--verify <mode>', "outcome: 'taubench' (database + outputs) or 'db' (database only)", 'taubench')
    .option('--cache-dir <dir>', 'on-disk LLM response cache for every model in the run')
    .option('--no-progress', 'no progress output');
  addTau2WorldFlags(cmd);
  addModelOptions(cmd, 'agent', { what: 'agent', kinds: AGENT_KINDS });
  addModelOptions(cmd, 'user', { defaultKind: 'scripted', what: 'user simulator', kinds: USER_KINDS });
  cmd.action(async (o: EvalOptions) => {
    if (!o.data || !o.out) throw new Error('tarl eval needs --data DIR and --out RUN_DIR');
    if (o.verify !== 'taubench' && o.verify !== 'db') throw new Error(`--verify must be taubench or db (got '${String(o.verify)}')`);
    await (await import('./eval-run.ts')).evalAction(o);
  });
  cmd
    .command('compare')
    .description('Compare two eval runs of one dataset and split: every summary metric, pass^k with paired bootstrap intervals, tasks by difference')
    .argument('<runA>')
    .argument('<runB>')
    .option('--iterations <n>', 'bootstrap resamples', '5000')
    .option('--seed <n>', 'bootstrap seed', '1')
    .option('--html <file>', 'also write the comparison as a self-contained HTML plot')
    .option('--allow-incomplete', 'compare even when a run is incomplete (interrupted), over the tasks both have')
    .option('--top <n>', 'tasks listed by difference', '20')
    .action(async (a: string, b: string, o: CompareOptions) => (await import('./eval-compare.ts')).compareAction(a, b, o));
}
