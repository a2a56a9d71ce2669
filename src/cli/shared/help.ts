import type { Command, Option } from 'commander';

/** `tarl help TOPIC` topics beside the commands. */
export const HELP_TOPICS = {
  models: { roles: ['agent', 'user', 'judge (tarl judge)', 'writer (tarl data generate)'] },
} as const;

/** Edit distance (for suggestions among flags commander's help does not show). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

const hiddenLongFlags = (cmd: Command): string[] =>
  (cmd.options as readonly (Option & { hidden?: boolean })[]).filter((o) => o.hidden && o.long).map((o) => o.long!);

/**
 * Usage errors print the error and a one-line pointer to the command's help, not the whole help
 * (which scrolled the "did you mean" out of sight). A mistyped per-role model flag, left out of
 * the help and so of commander's own suggestions, gets its suggestion here.
 */
export function quietErrors(root: Command): void {
  const visit = (cmd: Command, path: string): void => {
    cmd.showHelpAfterError(`(${path} --help lists the options)`);
    cmd.configureOutput({
      outputError: (text, write) => {
        const m = /^error: unknown option '(--[^']+)'\n$/.exec(text);
        if (m) {
          const flag = m[1]!;
          const near = hiddenLongFlags(cmd)
            .map((f) => ({ f, d: distance(flag, f) }))
            .filter((x) => x.d <= Math.max(2, Math.floor(x.f.length / 6)))
            .sort((x, y) => x.d - y.d)[0];
          if (near) text = `error: unknown option '${flag}'\n(Did you mean ${near.f}?)\n`;
        }
        write(text);
      },
    });
    for (const sub of cmd.commands) visit(sub, `${path} ${sub.name()}`);
  };
  visit(root, root.name());
}
