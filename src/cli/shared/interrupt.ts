/**
 * First Ctrl-C (or SIGTERM) asks the command to stop: `inFlight` says, truthfully for that
 * command, what happens to the work under way (printed at once, so nobody waits for a promise
 * the command does not keep); a second one exits at once. Returns a function that removes the
 * handlers.
 */
export function onInterrupt(stop: () => void, inFlight: string): () => void {
  let count = 0;
  const handler = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      process.stderr.write(`\n${sig}: stopping; ${inFlight}. Press Ctrl-C again to quit at once\n`);
      stop();
    } else process.exit(130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

/** What an eval's first Ctrl-C does to its episodes (runEval drops the ones an abort cut short). */
export const EVAL_IN_FLIGHT = 'no new episode starts, and episodes in flight are cancelled — not recorded, --resume runs them again — unless they finish first';

/** What training's first Ctrl-C does: the step under way is abandoned; checkpoints stay. */
export const TRAIN_IN_FLIGHT = 'the step under way is abandoned (its rollouts and update are not kept); the run keeps its last checkpoint, from which --resume continues';
