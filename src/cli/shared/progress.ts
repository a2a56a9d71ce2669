import cliProgress from 'cli-progress';
import type { EvalProgress } from '../../eval/run-eval.ts';

/**
 * A progress bar on stderr with live pass rate, ETA and spend. Without a terminal (CI, pipes)
 * it prints plain lines instead of redrawing, at most `lines` + 1 of them however long the run
 * (one per 25 episodes was 400 lines for 10k).
 */
export function evalProgressReporter(enabled: boolean, lines = 20): { update: (p: EvalProgress) => void; stop: () => void } {
  if (!enabled) return { update: () => {}, stop: () => {} };
  const spend = (p: EvalProgress): string => (p.costUsd === null ? 'unknown' : `$${p.costUsd.toFixed(4)}`);
  const pass = (p: EvalProgress): string => (p.done ? (p.successes / p.done).toFixed(3) : '-');
  if (!process.stderr.isTTY) {
    const due = plainProgressSchedule(lines);
    return {
      update: (p) => {
        if (due(p.done, p.total)) process.stderr.write(`episodes ${p.done}/${p.total} pass ${pass(p)} spend ${spend(p)}\n`);
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

/**
 * When a plain progress line is due: the first report, then each time another 1/`lines` of the
 * total is done, and the last; never twice for one count. At most `lines` + 1 lines per run.
 */
export function plainProgressSchedule(lines: number): (done: number, total: number) => boolean {
  let printed = -1;
  let lastDone = -1;
  return (done, total) => {
    const slice = total > 0 ? Math.floor((done * lines) / total) : lines;
    if (done === lastDone || (slice <= printed && done !== total)) return false;
    printed = slice;
    lastDone = done;
    return true;
  };
}
