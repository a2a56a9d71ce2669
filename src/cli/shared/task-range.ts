/**
 * Parses a task selection such as `0-49`, `3`, or `0-9,20,30-31` into sorted unique indices.
 * Ranges are inclusive; indices must exist in a split of `count` tasks.
 */
export function parseTaskRange(text: string, count: number): number[] {
  const out = new Set<number>();
  for (const raw of text.split(',')) {
    const part = raw.trim();
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) throw new Error(`--tasks: '${part}' is not an index or a range like 0-49`);
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (hi < lo) throw new Error(`--tasks: range '${part}' runs backwards`);
    if (hi >= count) throw new Error(`--tasks: index ${hi} is out of range (the split has ${count} tasks, 0-${count - 1})`);
    for (let i = lo; i <= hi; i++) out.add(i);
  }
  return [...out].sort((a, b) => a - b);
}
