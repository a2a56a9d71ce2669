import { escapeHtml } from '../../eval/report/escape.ts';

/** Builds a query string from the non-empty values (for links that keep the filters). */
export function qs(params: Record<string, string | number | undefined | null>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

export function link(href: string, text: string, cls = ''): string {
  return `<a href="${escapeHtml(href)}"${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</a>`;
}

export function dl(rows: readonly (readonly [string, string])[]): string {
  return `<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

/** Problems found in a run's files, listed where people look (never a crash, never silent). */
export function problemsHtml(title: string, items: readonly string[], more = 0): string {
  if (items.length === 0) return '';
  return `<div class="problems"><strong>${escapeHtml(title)}</strong><ul>${items.map((p) => `<li>${escapeHtml(p)}</li>`).join('')}${more > 0 ? `<li>${escapeHtml(`… and ${more} more`)}</li>` : ''}</ul></div>`;
}

/**
 * A page of the viewer: the shared style sheet and the one script from /assets (the CSP allows
 * nothing else: no inline script, no inline style, nothing from another origin).
 */
export function page(o: { title: string; body: string; crumbs?: readonly [string, string][] }): string {
  const crumbs = [['/', 'runs'] as const, ...(o.crumbs ?? [])].map(([href, text]) => link(href, text)).join(' › ');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)} — tarl view</title><link rel="stylesheet" href="/assets/app.css"><script type="module" src="/assets/app.js"></script></head>
<body><nav class="top">${crumbs} · ${link('/compare', 'compare')}</nav><h1>${escapeHtml(o.title)}</h1>
${o.body}
</body></html>
`;
}
