import type { Trajectory } from '../../episode/trajectory.ts';
import { errorRateFailure } from '../../eval/error-reasons.ts';
import type { Summary } from '../../eval/summary.ts';
import { formatInterrupted } from '../../eval/write-results.ts';

/**
 * The end of an eval (both dataset kinds): an interrupted run says what was and was not recorded
 * (exit 130); a finished one where more than `maxErrorRate` of the episodes errored fails (exit
 * 1) with the top reasons, since its pass rates measure the failure, not the agent.
 */
export function reportEnd(summary: Summary, episodes: readonly Trajectory[], cancelled: number, complete: boolean, maxErrorRate: number): void {
  if (!complete) {
    process.stderr.write(formatInterrupted(summary, cancelled) + '\n');
    process.exitCode = 130;
    return;
  }
  const failure = errorRateFailure(episodes, maxErrorRate);
  if (failure) {
    process.stderr.write(`tarl: ${failure}\n`);
    process.exitCode = 1;
  }
}
