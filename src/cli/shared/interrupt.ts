/**
 * First Ctrl-C (or SIGTERM) asks the command to stop cleanly (no new work; what finished is
 * kept); a second one exits at once. Returns a function that removes the handlers.
 */
export function onInterrupt(stop: () => void): () => void {
  let count = 0;
  const handler = (sig: NodeJS.Signals): void => {
    count++;
    if (count === 1) {
      process.stderr.write(`\n${sig}: finishing episodes in flight; press Ctrl-C again to quit now\n`);
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
