import type { Diff } from '../compare.ts';
import type { TaskResult } from '../summary.ts';
import { escapeHtml } from './escape.ts';
import { divergingBars } from './svg.ts';

/** A self-contained page for `tarl eval compare`: the estimate, its interval, per-task differences. */
export function renderCompare(nameA: string, nameB: string, d: Diff, a: readonly TaskResult[], b: readonly TaskResult[]): string {
  const bMap = new Map(b.map((t) => [t.taskId, t]));
  const bars = a
    .filter((t) => t.trials > 0 && (bMap.get(t.taskId)?.trials ?? 0) > 0)
    .map((t) => {
      const o = bMap.get(t.taskId)!;
      return { label: t.taskId, value: o.successes / o.trials - t.successes / t.trials };
    });
  const f = (x: number): string => x.toFixed(3);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>tarl eval compare</title><style>body{font:14px/1.4 system-ui,sans-serif;margin:24px}figure{margin:0}figcaption{font-weight:600}</style></head><body>
<h1>${escapeHtml(`${nameA} → ${nameB}`)}</h1>
<p>${escapeHtml(`${d.metric}: A ${f(d.a)}, B ${f(d.b)}, B − A ${d.delta >= 0 ? '+' : ''}${f(d.delta)}, ${Math.round(d.level * 100)}% CI [${f(d.ci[0])}, ${f(d.ci[1])}] (paired bootstrap over ${bars.length} tasks)`)}</p>
${divergingBars('per-task success rate, B − A (shaded: CI of the mean difference)', bars, d.ci)}
</body></html>
`;
}
