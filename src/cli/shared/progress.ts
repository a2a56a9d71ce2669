import cliProgress from 'cli-progress';
import type { EvalProgress } from '../../eval/run-eval.ts';

/**
 * A progress bar on stderr with live pass rate, ETA and spend. Without a terminal (CI, pipes)
 * it prints a plain line every `every` episodes instead of redrawing.
 */
export function evalProgressReporter(enabled: boolean, every = 25): { update: (p: EvalProgress) => void; stop: () => void } {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const spend = (p: EvalProgress): string => (p.costUsd === null ? 'unknown' : `$${p.costUsd.toFixed(4)}`);
  const pass = (p: EvalProgress): string => (p.done ? (p.successes / p.done).toFixed(3) : '-');
  if (!process.stderr.isTTY) {
    return {
      update: (p) => {
        if (p.done === p.total || p.done % every === 0) process.stderr.write(`episodes ${p.done}/${p.total} pass ${pass(p)} spend ${spend(p)}\n`);
      },
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: 'eval |{bar}| {value}/{total} episodes | pass {pass} | ETA {eta_formatted} | spend {spend}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update: (p) => {
      if (!started) {
        bar.start(p.total, p.done, { pass: pass(p), spend: spend(p) });
        started = true;
      } else bar.update(p.done, { pass: pass(p), spend: spend(p) });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}
