import { build } from 'esbuild';
import { STYLE } from '../eval/report/html.ts';
import { repoPath } from '../paths.ts';

/** The viewer's own rules, on top of the report's (`STYLE`: the episode renderer's included). */
const APP_STYLE = `body{max-width:none;margin:16px 24px}nav.top{font-size:13px;margin-bottom:8px}nav.top a{color:#2b5aa8}
h2{font-size:17px;margin:18px 0 6px}h3{font-size:14px}.muted{color:#777}.links{margin:4px 0}
.runcard{border:1px solid #ddd;border-radius:6px;padding:8px 14px;margin:0 0 16px;background:#fcfcfc}.runcard h2{margin-top:4px}
.problems{border:1px solid #e0a39c;background:#fff3f1;color:#8a1c1c;padding:6px 12px;border-radius:4px;margin:8px 0}.problems ul{margin:4px 0;padding-left:18px}
form.filters{display:flex;flex-wrap:wrap;gap:6px 12px;align-items:center;margin:8px 0;font-size:13px}
table.list{border-collapse:collapse;font-size:13px}table.list td,table.list th{border:1px solid #e3e3e3;padding:2px 8px;text-align:left}
tr.ep.fail td:first-child{border-left:3px solid #d2463c}tr.ep.pass td:first-child{border-left:3px solid #2e9d4f}span.pass{color:#2e7d32;font-weight:600}span.fail{color:#c62828;font-weight:600}
.pager{font-size:13px}.summary{display:flex;gap:24px;align-items:flex-start}table.passk td{text-align:right}
.flipcols{display:flex;gap:24px;flex-wrap:wrap}.flips{min-width:280px}.flips.lost h3{color:#c62828}.flips.won h3{color:#2e7d32}.headline{font-weight:600}
.sidebyside{display:grid;grid-template-columns:1fr 1fr;gap:16px}.sidebyside .ep-body{grid-template-columns:1fr}.sidebyside .side{position:static;border-left:0;padding-left:0;max-height:none}
#curves .status{font-size:12px;color:#555}`;

export const APP_CSS = `${STYLE}\n${APP_STYLE}\n`;

let bundle: Promise<string> | undefined;

/**
 * The browser script, compiled from `src/web/client/app.ts` with esbuild once per process (no
 * build step, nothing fetched from a CDN: the page works offline).
 */
export function appScript(): Promise<string> {
  bundle ??= build({
    // From the repository root, not this module: in the bundle (dist/) this code is a chunk elsewhere.
    entryPoints: [repoPath('src/web/client/app.ts')],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((r) => {
    const out = r.outputFiles[0];
    if (!out) throw new Error('esbuild produced no output for src/web/client/app.ts');
    return out.text;
  });
  return bundle;
}
