/** What `tarl eval compare` does, loaded only when it runs (its options live in eval.ts). */
import { writeFileSync } from 'node:fs';
import { checkComparable, compareRuns, loadComparedRun } from '../../eval/compare-runs.ts';
import { renderCompare } from '../../eval/report/compare-html.ts';
import type { CompareOptions } from './eval.ts';
import { int } from './eval-run.ts';

export function compareAction(a: string, b: string, o: CompareOptions): void {
  const ra = loadComparedRun(a);
  const rb = loadComparedRun(b);
  for (const w of checkComparable(ra, rb, o.allowIncomplete === true)) process.stderr.write(`warning: ${w}\n`);
  let s = int(o.seed, '--seed', 0) || 1;
  const rand = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const c = compareRuns(ra, rb, rand, int(o.iterations, '--iterations', 100));
  const f = (x: number | null): string => (x === null ? 'n/a' : x.toFixed(3));
  const signed = (x: number): string => `${x >= 0 ? '+' : ''}${f(x)}`;
  const lines = [
    `paired tasks: ${c.paired.length}${c.onlyA || c.onlyB ? ` (left out: ${c.onlyA} only in A, ${c.onlyB} only in B)` : ''}; trials A ${ra.trials}, B ${rb.trials}`,
    ...c.diffs.map((d) => `${d.metric}: A ${f(d.a)}  B ${f(d.b)}  B−A ${signed(d.delta)}  ${Math.round(d.level * 100)}% CI [${f(d.ci[0])}, ${f(d.ci[1])}] (paired bootstrap over tasks)`),
    ...c.metrics.map((m) => `${m.name}: A ${f(m.a)}  B ${f(m.b)}${m.a !== null && m.b !== null ? `  B−A ${signed(m.b - m.a)}` : ''}`),
  ];
  const top = int(o.top, '--top', 0);
  const changed = c.tasks.filter((t) => t.delta !== 0);
  lines.push(`tasks whose success rate changed: ${changed.length} of ${c.tasks.length}${changed.length ? `, largest |B−A| first${changed.length > top ? ` (first ${top}; --top shows more)` : ''}:` : ''}`);
  for (const t of changed.slice(0, top)) lines.push(`  ${t.taskId.padEnd(14)} A ${f(t.a)}  B ${f(t.b)}  B−A ${signed(t.delta)}`);
  process.stdout.write(lines.join('\n') + '\n');
  if (o.html) {
    writeFileSync(o.html, renderCompare(a, b, c.diffs[0]!, c.summaries.a.perTask, c.summaries.b.perTask));
    process.stdout.write(`plot: ${o.html}\n`);
  }
}

